"""The numpy MPNet encoder (all-mpnet-base-v2's architecture) against transformers' MPNetModel.

all-mpnet-base-v2 can be given in INTERSECTOR_EMBEDDING_MODEL_DIR (its 440 MB of weights are not
installed by the project), so the MPNet path is checked here on a tiny model with random weights:
the reference values below are transformers 5.24's MPNetModel (torch 2.13, CPU) run on these
same weights, mean-pooled over real tokens and L2-normalised as sentence-transformers does.
Lengths 40 and 12 in one batch exercise the padding mask and both kinds of relative-position
bucket (exact below 8 tokens apart, logarithmic beyond). On the real all-mpnet-base-v2 the
encoder matched sentence-transformers 6.0.1 to 2e-7 (see intersector/analysis/README.md).
"""

import numpy as np

from intersector.analysis.bert import SentenceEncoder

CONFIG = {"model_type": "mpnet", "hidden_size": 32, "num_attention_heads": 4, "num_hidden_layers": 2,
          "intermediate_size": 64, "max_position_embeddings": 80, "vocab_size": 50,
          "relative_attention_num_buckets": 32, "layer_norm_eps": 1e-5, "hidden_act": "gelu"}
LENGTHS = (40, 12)

# transformers' output for the two sentences: the first 6 numbers of each pooled unit vector.
REFERENCE = [
    [0.0584293, 0.1779444, -0.3085744, -0.0456582, 0.1572690, 0.2316238],
    [0.1023136, 0.2193438, -0.2038378, -0.0734601, 0.1626051, -0.0156067],
]


def tiny_mpnet_weights(seed=0):
    """Random weights under the names of a sentence-transformers MPNet export (float32)."""
    rng = np.random.default_rng(seed)
    h, f, v = CONFIG["hidden_size"], CONFIG["intermediate_size"], CONFIG["vocab_size"]

    def normal(*shape, scale=0.2):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def norm(prefix):
        return {f"{prefix}.weight": 1 + normal(h, scale=0.1), f"{prefix}.bias": normal(h, scale=0.1)}

    w = {"embeddings.word_embeddings.weight": normal(v, h, scale=1.0),
         "embeddings.position_embeddings.weight": normal(CONFIG["max_position_embeddings"], h, scale=0.5),
         **norm("embeddings.LayerNorm"),
         "encoder.relative_attention_bias.weight": normal(CONFIG["relative_attention_num_buckets"],
                                                         CONFIG["num_attention_heads"], scale=1.0)}
    for i in range(CONFIG["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        for name in ("q", "k", "v", "o"):
            w[f"{p}.attention.attn.{name}.weight"] = normal(h, h)
            w[f"{p}.attention.attn.{name}.bias"] = normal(h, scale=0.1)
        w.update(norm(f"{p}.attention.LayerNorm"))
        w[f"{p}.intermediate.dense.weight"] = normal(f, h)
        w[f"{p}.intermediate.dense.bias"] = normal(f, scale=0.1)
        w[f"{p}.output.dense.weight"] = normal(h, f)
        w[f"{p}.output.dense.bias"] = normal(h, scale=0.1)
        w.update(norm(f"{p}.output.LayerNorm"))
    return w


def token_ids(seed=1):
    """Two token sequences (ids 2..49: 0 and 1 are MPNet's <s> and <pad>)."""
    rng = np.random.default_rng(seed)
    return [rng.integers(2, CONFIG["vocab_size"], size=n).tolist() for n in LENGTHS]


def test_mpnet_forward_pass_matches_transformers():
    encoder = SentenceEncoder(None, tiny_mpnet_weights(), dict(CONFIG), max_tokens=64)
    vectors = encoder._encode_batch(token_ids())
    assert vectors.shape == (2, CONFIG["hidden_size"])
    np.testing.assert_allclose(vectors[:, :6], np.array(REFERENCE, dtype=np.float32), atol=1e-5)


def test_a_shorter_sentence_gets_the_same_vector_alone_as_padded_in_a_batch():
    encoder = SentenceEncoder(None, tiny_mpnet_weights(), dict(CONFIG), max_tokens=64)
    ids = token_ids()
    together = encoder._encode_batch(ids)
    alone = encoder._encode_batch([ids[1]])
    np.testing.assert_allclose(together[1], alone[0], atol=1e-5)
