#!/usr/bin/env python3
"""Runs the exporter's tests; for CTest (SKIP_RETURN_CODE 77):

    VENV/bin/python tools/export/tests/run_tests.py [--build DIR] [unittest args...]

Exit 0: every test passed; 1: a failure; 77: skipped, because this Python has no torch or
torch_geometric, or there is no C++ compiler ($CXX, default g++) to build the exported headers (a
machine without that environment reports the tests as skipped, never as passed). Tests that need
ogb (AtomEncoder / BondEncoder) are skipped one by one when it is missing, and listed."""
import argparse
import importlib.util
import os
import shutil
import sys
import time
import unittest

SKIP = 77


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", help="folder for the exported headers and compiled checks (default: a temp dir)")
    args, rest = ap.parse_known_args()
    missing = [m for m in ("torch", "torch_geometric") if importlib.util.find_spec(m) is None]
    if missing:
        print(f"skipped: {sys.executable} has no {' and no '.join(missing)} "
              "(pip install ./tools/export into a virtual environment and run its python)")
        return SKIP
    cxx = os.environ.get("CXX", "g++")
    if shutil.which(cxx) is None:
        print(f"skipped: no C++ compiler {cxx!r} to build the exported headers")
        return SKIP
    if args.build:
        os.environ["GRAPHTX_EXPORT_BUILD"] = os.path.abspath(args.build)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    t0 = time.time()
    names = rest or ["test_export"]
    suite = unittest.defaultTestLoader.loadTestsFromNames(names)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    print(f"graphtx_export tests: {result.testsRun} run, {len(result.skipped)} skipped, "
          f"{len(result.failures) + len(result.errors)} failed in {time.time() - t0:.0f} s")
    for test, why in result.skipped:
        print(f"  skipped {test.id()}: {why}")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
