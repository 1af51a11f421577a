"""Fixtures for the text-analysis tests: the real model once, or a forced TF-IDF fallback."""

import pytest

from intersector import analysis
from intersector.analysis.model import DIR_ENV, SHA_ENV
from tests.conftest import missing_service


@pytest.fixture(scope="session")
def model_available():
    """The packaged all-MiniLM-L6-v2, loaded once for the session."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(DIR_ENV, raising=False)
        patch.delenv(SHA_ENV, raising=False)
        analysis.reset_model()
        info = analysis.model_info()
    if info.kind != "embeddings":
        missing_service(f"the embedding model is not usable here: {info.reason}")
    return info


@pytest.fixture
def model(model_available, monkeypatch):
    """Per test: make sure an earlier fallback test has not left TF-IDF in place."""
    monkeypatch.delenv(DIR_ENV, raising=False)
    monkeypatch.delenv(SHA_ENV, raising=False)
    if analysis.model_info().kind != "embeddings":
        analysis.reset_model()
    return analysis.model_info()


@pytest.fixture(scope="module")
def without_model(tmp_path_factory):
    """The model folder points at an empty directory, so everything runs on TF-IDF."""
    empty = tmp_path_factory.mktemp("no-model")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DIR_ENV, str(empty))
        analysis.reset_model()
        yield analysis.model_info()
        analysis.reset_model()
    # The next test that needs the model loads it again from the real location.


def model_folder():
    from intersector.analysis.model import PACKAGE
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(PACKAGE)
    return Path(list(spec.submodule_search_locations)[0]) / "model"


@pytest.fixture
def model_copy(tmp_path, model_available):
    """A custom model folder (files linked from the packaged one), as an admin might set up."""
    source = model_folder()
    target = tmp_path / "custom-model"
    (target / "1_Pooling").mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "model.safetensors", "sentence_bert_config.json"):
        (target / name).symlink_to(source / name)
    (target / "1_Pooling" / "config.json").symlink_to(source / "1_Pooling" / "config.json")
    return target
