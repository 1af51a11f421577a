"""How many BLAS/OpenMP threads the process uses once text analysis has run.

Measured on the 2-core servers: with other processes busy, OpenBLAS with 2 threads made the
small matrix products of the encoder 5-30x slower than 1 thread (its threads wait for each
other), while 1 thread degrades gracefully; the web and job processes already use the cores in
parallel. So the first analysis call sets the process' BLAS and OpenMP pools to 1 thread
(INTERSECTOR_ANALYSIS_THREADS may say more) and leaves them there.

It is deliberately not a set-and-restore around each call: with several request threads,
one thread restoring 2 threads while another is mid-way through a product made every call
slow again (measured 0.1 s -> 3-5 s for 4 concurrent short embeddings).
"""

from __future__ import annotations

import logging
import os
import sys
import threading

logger = logging.getLogger(__name__)

THREADS_ENV = "INTERSECTOR_ANALYSIS_THREADS"

_lock = threading.Lock()
_applied: tuple[int, int] | None = None  # (threads, len(sys.modules)) when last applied


def blas_threads() -> int:
    """1 unless INTERSECTOR_ANALYSIS_THREADS asks for more."""
    try:
        return max(1, int(os.environ.get(THREADS_ENV, "1")))
    except ValueError:
        return 1


def limit_threads() -> None:
    """Put every loaded BLAS/OpenMP pool at blas_threads() threads (cheap when nothing changed).

    Checked again when more modules have been imported, because scipy and scikit-learn load
    their own OpenBLAS and OpenMP on first use.
    """
    global _applied
    wanted = (blas_threads(), len(sys.modules))
    if _applied == wanted:
        return
    with _lock:
        if _applied == wanted:
            return
        try:
            from threadpoolctl import ThreadpoolController

            for pool in ThreadpoolController().lib_controllers:
                if pool.num_threads != wanted[0]:
                    pool.set_num_threads(wanted[0])
        except Exception:  # never let thread tuning break an analysis
            logger.exception("Could not set the number of BLAS threads")
        _applied = (wanted[0], len(sys.modules))
