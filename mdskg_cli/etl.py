"""`mdskg etl pubmed --query … --max N` and `mdskg etl trials --condition … --max N`:
fetch into a folder, then run the ordinary ETL over what was fetched."""

from __future__ import annotations

import sys
from argparse import Namespace
from pathlib import Path

from mdskg.settings import PROJECT_ROOT, Settings


def fetch_command(args, settings: Settings) -> int:
    from etl.fetchers import FetchError
    from etl.fetchers.ctgov import download_trials
    from etl.fetchers.pubmed import download_pubmed

    source = args.paths[0]
    out = Path(args.out) if args.out else PROJECT_ROOT / ".cache" / "fetched" / source
    out.mkdir(parents=True, exist_ok=True)
    try:
        if source == "pubmed":
            if not args.query:
                print("error: `mdskg etl pubmed` needs --query", file=sys.stderr)
                return 1
            files = download_pubmed(args.query, out, args.max, api_key=settings.ncbi_api_key,
                                    base_url=settings.eutils_url, email=settings.ncbi_email)
        else:
            files = download_trials(args.condition, out, args.max, base_url=settings.ctgov_url)
    except FetchError as exc:
        print(f"error: fetching from {source} failed: {exc}", file=sys.stderr)
        return 1
    print(f"fetched {len(files)} file(s) into {out}")
    if not files:
        return 0
    from etl.run import run_etl_command

    return run_etl_command(Namespace(**{**vars(args), "paths": [str(out)]}), settings)
