"""Property-based calls generated from /openapi.json against a real server: never a 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.support.server import Api, ServerProcess

EXAMPLES_PER_OPERATION = 60
MIN_CASES = 500


def test_no_generated_call_gets_a_server_error(tmp_path):
    server = ServerProcess(tmp_path).start()
    try:
        main = Api(server.url).login("bdc01").http.headers["Authorization"]
        # spare sessions for generated logout calls, which revoke the token they carry
        spare = [Api(server.url).login("bdc01").http.headers["Authorization"]
                 for _ in range(10)]
        schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
        statuses: list[int] = []
        for result in schema.get_all_operations():
            operation = result.ok()

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def call(case):
                token = spare.pop() if case.path.endswith("/logout") and spare else main
                response = case.call(headers={"Authorization": token})
                statuses.append(response.status_code)
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path} → {response.status_code}: "
                    f"{response.text[:500]}")
                content_type = "".join(response.headers.get("content-type", []))
                if content_type.startswith("application/json") and response.content:
                    assert "server_time" in response.json(), case.formatted_path

            call()
    finally:
        server.stop()
    assert len(statuses) >= MIN_CASES, f"only {len(statuses)} generated calls"
    assert any(s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)
