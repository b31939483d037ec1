#!/usr/bin/env python3
"""Measure a few paths with wrk against the code of this checkout: quick A/B between commits.

Same server and settings as `make bench` (gunicorn as shipped, 2 workers, production settings,
page cache off, wrk with 2 connections) on the database it prepared; prints req/s, p50, p95
and p99. `--no-recycling`: workers never recycled (--max-requests 0).

    .venv/bin/python bench/paths.py [--seconds 6] PATH [PATH ...]

Another commit, on the same database and back to back (its checkout shares .venv and var):

    git worktree add /tmp/old COMMIT && ln -s "$PWD/.venv" "$PWD/var" /tmp/old/
    .venv/bin/python /tmp/old/bench/paths.py PATH ...
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (bench/run.py, beside this file)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--no-recycling", action="store_true")
    parser.add_argument("paths", nargs="+")
    options = parser.parse_args()
    env = run.app_env(f"{run.PG}/{run.DB}", page_cache=False)
    log = run.ROOT / "var" / "bench-paths.log"
    with run.Server(env, log, recycling=not options.no_recycling):
        for path in options.paths:
            run.fetch(path)
            run.wrk(path, run.WARMUP)
            result = run.wrk(path, options.seconds)
            print(
                f"{result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.2f}  "
                f"p95 {result['p95_ms']:6.2f}  p99 {result['p99_ms']:7.2f} ms  "
                f"errors {result['errors']}  {path}",
                flush=True,
            )


if __name__ == "__main__":
    main()
