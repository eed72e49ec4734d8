"""The mixed users of `make load` (bench/load.py): browse the catalogue, open offers, support a
proposal, answer a survey; and the reference view, measured in the same run.

Reads bench/out/load/state.json (written by bench/load.py): municipality codes, offer ids,
sessions of youth, supportable proposals and one-time codes. Loopback only.
"""

import json
import random
from pathlib import Path

from locust import HttpUser, between, task

STATE = json.loads((Path(__file__).parent / "out" / "load" / "state.json").read_text())
CODES = iter(STATE["codes"])


class Visitor(HttpUser):
    """Someone looking for something to do: the catalogue with filters, then offers."""

    weight = 6
    wait_time = between(1, 3)

    @task(3)
    def catalogue(self):
        code = random.choice(STATE["municipalities"])
        query = random.choice(["", "?age=15", "?age=13&free=on", "?category=music", "?weekday=2"])
        self.client.get(f"/kommuner/{code}/tilbud/{query}", name="catalogue")

    @task(4)
    def offer(self):
        self.client.get(f"/tilbud/{random.choice(STATE['offers'])}/", name="offer")

    @task(1)
    def proposals(self):
        code = random.choice(STATE["municipalities"])
        self.client.get(f"/kommuner/{code}/forslag/", name="proposals")


class Youth(HttpUser):
    """A logged-in youth who supports proposals (and withdraws, so the run can go on)."""

    weight = 2
    wait_time = between(2, 5)

    def on_start(self):
        self.client.cookies.set("sessionid", STATE["sessions"].pop())
        self.client.get("/min-side/", name="my page")

    @task
    def support(self):
        pk = random.choice(STATE["proposals"])
        self.client.get(f"/forslag/{pk}/", name="proposal")
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(
            f"/forslag/{pk}/stott/", headers=headers, name="support", catch_response=True,
            allow_redirects=False,
        ) as response:  # fmt: skip
            # 400: this youth supports it already (a random choice came back to it).
            if response.status_code in (302, 400):
                response.success()
        self.client.post(
            f"/forslag/{pk}/trekk-stotte/", headers=headers, name="unsupport",
            allow_redirects=False,
        )  # fmt: skip


class Respondent(HttpUser):
    """Answers a survey with a one-time code: the code, one page, send, thanks."""

    weight = 2
    wait_time = between(2, 5)

    @task
    def answer(self):
        code = next(CODES, None)
        if code is None:
            return
        self.client.get("/svar/", name="survey start")
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        answers = {name: random.choice(values) for name, values in STATE["answers"].items()}
        self.client.post(
            "/svar/", {"code": code, "language": "nb"}, headers=headers, name="survey code"
        )
        self.client.post("/svar/side/", answers, headers=headers, name="survey page")
        self.client.post("/svar/send/", headers=headers, name="survey send")


class Reference(HttpUser):
    """The reference view (one 50-row query and a template, bench/reference.py)."""

    weight = 1
    wait_time = between(1, 3)

    @task
    def reference(self):
        self.client.get("/bench/reference/", name="reference")
