"""Text analysis speed: model load, themes for 50/300/1,000 notes, similar-case search.

Plain Python, no Django. Notes and case summaries are generated from templates with a fixed
seed, so every run times the same texts. Then the same on the TF-IDF fallback (the model
folder pointed at an empty directory). Target from the issue: themes for 300 notes < 3 s.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intersector import analysis  # noqa: E402
from intersector.analysis import model as model_module  # noqa: E402

SUBJECTS = {
    "government": ["The council", "The ministry", "Our department", "The city office",
                   "Public officials", "The regulator", "The agency", "Elected members"],
    "business": ["The company", "Our firm", "The startup", "Investors", "Shareholders",
                 "The retail chain", "The bank", "Management"],
    "nonprofit": ["The charity", "Volunteers", "Our community group", "The food bank",
                  "The foundation", "Local residents", "The association", "Grassroots groups"],
}
PREDICATES = {
    "government": ["takes months to approve a permit", "must answer to auditors for spending",
                   "changes priorities after every election", "follows strict procurement rules",
                   "needs a public consultation first", "avoids risk because of headlines",
                   "sets the budget once a year", "writes regulations slowly"],
    "business": ["wants a return within two years", "moves fast to beat competitors",
                 "keeps customer data proprietary", "expects profit growth every quarter",
                 "can raise capital quickly", "decides in a single meeting",
                 "guards its trade secrets", "cuts costs to protect margins"],
    "nonprofit": ["is guided by its mission", "is trusted by families in the area",
                  "runs on unpaid volunteers", "lives on small short-term grants",
                  "struggles to pay staff", "measures success by social impact",
                  "knows what the neighbourhood needs", "depends on donations"],
}
ENDINGS = ["", " in our region", ", which slows partnerships", ", as we saw last year",
           " and that shapes every joint project", ", according to the workshop group",
           " when working with other sectors", ""]


def make_notes(count, seed=7):
    rng = random.Random(seed)
    notes = []
    for _ in range(count):
        sector = rng.choice(sorted(SUBJECTS))
        notes.append(f"{rng.choice(SUBJECTS[sector])} {rng.choice(PREDICATES[sector])}"
                     f"{rng.choice(ENDINGS)}.")
    return notes


def make_cases(count, seed=11):
    rng = random.Random(seed)
    cases = []
    for i in range(count):
        a, b = rng.sample(sorted(SUBJECTS), 2)
        cases.append(
            f"Case {i}: {rng.choice(SUBJECTS[a])} worked with {rng.choice(SUBJECTS[b]).lower()}. "
            f"One partner {rng.choice(PREDICATES[a])}, the other {rng.choice(PREDICATES[b])}. "
            f"They agreed a shared plan{rng.choice(ENDINGS)}."
        )
    return cases


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def themes(notes):
    (vectors, info), t_vec = timed(analysis.vectorize, notes)
    result, t_cluster = timed(analysis.cluster_texts, notes, vectors=vectors, info=info)
    names, t_labels = timed(analysis.label_clusters, notes, result.labels)
    return info, result, t_vec, t_cluster, t_labels


def report_themes():
    for count in (50, 300, 1000):
        notes = make_notes(count)
        info, result, t_vec, t_cluster, t_labels = themes(notes)
        total = t_vec + t_cluster + t_labels
        print(f"  themes for {count:>5} notes ({info.kind}): vectors {t_vec:6.2f} s, "
              f"clustering {t_cluster:5.2f} s, labels {t_labels:5.2f} s = {total:6.2f} s "
              f"(k={result.k})", flush=True)


def report_search(queries=200):
    cases = make_cases(2000)
    index, t_build = timed(analysis.TextIndex.build, cases)
    print(f"  index of {len(cases)} case summaries ({index.info.kind}): built in {t_build:.2f} s")
    rng = random.Random(3)
    texts = [" ".join(rng.sample(make_notes(5, seed=q)[0].split(), 5)) for q in range(queries)]
    text_times, vector_times = [], []
    for q, text in enumerate(texts):
        _, seconds = timed(index.search, text, top_k=5)
        text_times.append(seconds * 1000)
        _, seconds = timed(index.search, index.vectors[q], top_k=5, exclude=q)
        vector_times.append(seconds * 1000)
    for name, values in (("free-text query", text_times), ("case-like-this query", vector_times)):
        print(f"  {name:>22}: p50 {statistics.median(values):6.2f} ms, "
              f"p95 {percentile(values, 0.95):6.2f} ms ({queries} queries)")


def report_optimisations(count=300, repeats=3):
    """Embedding time of the same notes before/after the speed-ups (erf GELU, BLAS threads)."""
    from intersector.analysis import bert

    notes = make_notes(count)
    fast_gelu = bert.gelu_inplace

    def scipy_gelu(x):
        x[...] = bert.gelu(x)
        return x

    variants = [
        ("before: scipy erf, BLAS on all cores", scipy_gelu, os.cpu_count()),
        ("scipy erf, 1 BLAS thread", scipy_gelu, 1),
        ("fast erf GELU, BLAS on all cores", fast_gelu, os.cpu_count()),
        ("after: fast erf GELU, 1 BLAS thread", fast_gelu, 1),
    ]
    print(f"  embedding {count} notes ({len(set(notes))} distinct), best / median of {repeats} "
          f"(load average now {os.getloadavg()[0]:.1f}):")
    try:
        for name, gelu, threads in variants:
            bert.gelu_inplace = gelu
            os.environ[bert.THREADS_ENV] = str(threads)
            runs, cpu = [], []
            for _ in range(repeats):
                started = time.process_time()
                runs.append(timed(analysis.embed, notes)[1])
                cpu.append(time.process_time() - started)
            print(f"    {name:>40}: {min(runs):5.2f} s / {statistics.median(runs):5.2f} s wall, "
                  f"{statistics.median(cpu):5.2f} s CPU")
    finally:
        bert.gelu_inplace = fast_gelu
        os.environ.pop(bert.THREADS_ENV, None)


def main():
    os.environ.pop(model_module.DIR_ENV, None)
    print(f"Embeddings (all-MiniLM-L6-v2, numpy); {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}:")
    analysis.reset_model()
    model_module._hash_cache.clear()
    _, first = timed(model_module.get_encoder)
    analysis.reset_model()
    _, again = timed(model_module.get_encoder)
    print(f"  model load: {first:.2f} s first time (with sha256 check), {again:.2f} s again "
          "(checksum cached)")
    report_themes()
    report_search()
    report_optimisations()

    print("TF-IDF fallback (no model):")
    os.environ[model_module.DIR_ENV] = tempfile.mkdtemp()
    analysis.reset_model()
    print(f"  {analysis.model_info().reason}")
    report_themes()
    report_search()


if __name__ == "__main__":
    main()
