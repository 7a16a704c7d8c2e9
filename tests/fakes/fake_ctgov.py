"""A fake ClinicalTrials.gov API v2 serving the real study JSON from shared/data.

`GET /api/v2/studies` pages through every study it holds (it does not search: the query
parameters are recorded so tests can check them) with opaque `nextPageToken`s, like the API.
`GET /api/v2/studies/<NCT id>` returns one study.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from tests.fakes import SHARED_DATA, FakeServer, Reply

API_V2_EXAMPLES = SHARED_DATA / "ctgov" / "api_v2_json_format_examples"
DEFAULT_PAGE_SIZE = 10  # the API's default
MAX_PAGE_SIZE = 1000


def example_studies(folder: Path = API_V2_EXAMPLES) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


class FakeCtgov(FakeServer):
    def __init__(self, studies: list[dict] | None = None):
        super().__init__()
        self.studies = studies if studies is not None else example_studies()
        self._tokens: dict[str, int] = {}  # page token → offset of the page it starts

    @property
    def url(self) -> str:
        return f"{self.root_url}/api/v2"

    def route(self, method: str, path: str, params: dict[str, str]) -> Reply:
        if path == "/api/v2/studies":
            return self._page(params)
        if path.startswith("/api/v2/studies/"):
            nct_id = path.rsplit("/", 1)[-1]
            for study in self.studies:
                if study["protocolSection"]["identificationModule"]["nctId"] == nct_id:
                    return Reply(200, json.dumps(study).encode())
            return Reply(404, json.dumps({"message": f"{nct_id} not found"}).encode())
        return Reply(404, b'{"message": "not found"}')

    def _page(self, params: dict[str, str]) -> Reply:
        try:
            size = int(params.get("pageSize", DEFAULT_PAGE_SIZE))
        except ValueError:
            return Reply(400, b'{"message": "pageSize must be an integer"}')
        if not 0 < size <= MAX_PAGE_SIZE:
            return Reply(400, b'{"message": "pageSize out of range"}')
        token = params.get("pageToken")
        if token is not None and token not in self._tokens:
            return Reply(400, b'{"message": "invalid pageToken"}')
        offset = self._tokens.get(token, 0)
        page: dict = {"studies": self.studies[offset : offset + size]}
        if params.get("countTotal") == "true":
            page["totalCount"] = len(self.studies)
        if offset + size < len(self.studies):
            next_token = secrets.token_urlsafe(9)
            self._tokens[next_token] = offset + size
            page["nextPageToken"] = next_token
        return Reply(200, json.dumps(page).encode())
