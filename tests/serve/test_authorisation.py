"""The authorisation matrix: every endpoint × every role × own/other department and region.

Nobody reads or changes what is not theirs: a refused request answers 401 (anonymous) or 403,
carries no data of the object, and leaves the object as it was."""

from __future__ import annotations

import json
import secrets

import pytest
from tests.serve.conftest import PASSWORD, SEED, World, unique

from juesuan.serve.models import Role
from juesuan.serve.policy import RULES, Action, Actor, Target, allowed

ROLES = ("anonymous", "preparer_own", "preparer_other", "reviewer_own", "reviewer_other", "admin")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
READERS = frozenset({"preparer_own", "reviewer_own", "admin"})
EVERYONE = frozenset(ROLES)


class Matrix:
    def __init__(self, world: World) -> None:
        self.world = world
        self.code, region = world.department()
        self.other, other_region = world.department()
        self.tokens: dict[str, str | None] = {
            "anonymous": None,
            "preparer_own": world.user("preparer", department=self.code),
            "preparer_other": world.user("preparer", department=self.other),
            "reviewer_own": world.user("reviewer", region=region),
            "reviewer_other": world.user("reviewer", region=other_region),
            "admin": world.admin_token,
        }
        by_token = {token: name for name, token in world.tokens.items()}
        self.names = {role: by_token.get(t) for role, t in self.tokens.items() if t}
        self.region = region
        r = world.upload(self.tokens["preparer_own"], self.code)
        assert r.status_code == 201
        self.sha = r.json()["dataset"]["sha256"]
        world.upload(self.tokens["preparer_other"], self.other, SEED + b"\n")
        check = world.client.post(
            "/api/v1/check",
            params={"filename": "a.txt"},
            content="某部门2024年度部门决算\n一、收入支出决算总体情况说明\n".encode(),
            headers=world.auth(self.tokens["preparer_own"]),
        )
        assert check.status_code == 201, check.text
        self.check_id = check.json()["id"]
        self.seen: set[tuple[str, str]] = set()

    def call(self, role: str, method: str, route: str, **kw):  # type: ignore[no-untyped-def]
        path = route.format(code=self.code, check=self.check_id, region=self.region)
        headers = {**kw.pop("headers", {}), **self.world.auth(self.tokens[role])}
        return self.world.client.request(method, path, headers=headers, **kw)

    def state(self) -> dict:
        r = self.world.client.get(
            f"/api/v1/departments/{self.code}/2024", headers=self.world.admin()
        )
        return r.json()

    def assert_refused(self, role: str, response) -> None:  # type: ignore[no-untyped-def]
        expected = 401 if role == "anonymous" else 403
        assert response.status_code == expected, (role, response.status_code, response.text)
        body = response.json()
        assert set(body) == {"code", "message", "details"}
        text = json.dumps(body, ensure_ascii=False)
        assert self.sha not in text and f"测试部门{self.code}" not in text

    def check(self, method: str, template: str, allowed_roles: frozenset[str], **kw) -> dict:  # type: ignore[no-untyped-def]
        """Every refused role first (the object must not change), then the allowed ones."""
        self.seen.add((method, "/api/v1" + template.split("?")[0].replace("{code}", "{code}")))
        results = {}
        for role in ROLES:
            if role in allowed_roles:
                continue
            before = self.state()
            r = self.call(role, method, "/api/v1" + template, **kw)
            self.assert_refused(role, r)
            assert self.state() == before, (role, method, template)
        for role in ROLES:
            if role not in allowed_roles:
                continue
            r = self.call(role, method, "/api/v1" + template, **kw)
            assert r.status_code not in (401, 403), (role, method, template, r.text)
            assert r.status_code < 500, r.text
            results[role] = r
        return results


@pytest.fixture(scope="module")
def matrix(world: World) -> Matrix:
    return Matrix(world)


READS = [
    "/departments/{code}",
    "/departments/{code}/2024",
    "/departments/{code}/2024/dataset",
    "/departments/{code}/2024/dataset/source",
    "/departments/{code}/2024/findings",
    "/departments/{code}/2024/documents/md",
    "/departments/{code}/2024/figures",
    "/departments/{code}/2024/versions/1/compare/1",
]


@pytest.mark.parametrize("template", READS)
def test_reads_of_a_department(matrix: Matrix, template: str) -> None:
    results = matrix.check("GET", template, READERS)
    for r in results.values():
        assert r.status_code == 200


def test_lists_show_only_what_is_yours(matrix: Matrix) -> None:
    for path in ("/departments", "/disclosures"):
        results = matrix.check("GET", path, SIGNED_IN)
        for role, r in results.items():
            codes = {d.get("code") or d.get("department") for d in r.json()}
            assert (matrix.code in codes) == (role in READERS), (path, role)
            if role in ("preparer_other", "reviewer_other"):
                assert matrix.other in codes


def test_organisation_and_audit_are_for_admins(matrix: Matrix) -> None:
    admin_only = frozenset({"admin"})
    matrix.check("GET", "/users", admin_only)
    body = {
        "code": unique("new"),
        "name": "新部门",
        "region": unique("新地区"),
        "profile": "sichuan-2024",
    }
    assert matrix.check("POST", "/departments", admin_only, json=body)["admin"].status_code == 201
    user = {
        "name": unique("u"),
        "role": "preparer",
        "password": PASSWORD,
        "department": matrix.code,
    }
    assert matrix.check("POST", "/users", admin_only, json=user)["admin"].status_code == 201
    matrix.check("GET", "/audit", admin_only)
    matrix.check("GET", "/audit/export", admin_only)
    matrix.check("GET", "/me", SIGNED_IN)


def test_checks_belong_to_whoever_uploaded_them(matrix: Matrix) -> None:
    matrix.check("GET", "/check/{check}", frozenset({"preparer_own", "admin"}))
    text = "某部门2024年度部门决算\n".encode()
    matrix.check("POST", "/check", SIGNED_IN, content=text)
    matrix.check("POST", "/validate", SIGNED_IN, content=SEED)
    # Guessed ids and hashes find nothing.
    guess = matrix.call("admin", "GET", f"/api/v1/check/{secrets.token_hex(16)}")
    assert guess.status_code == 404
    for path in (f"/api/v1/artifacts/{matrix.sha}", f"/api/v1/documents/{matrix.sha}"):
        assert matrix.call("admin", "GET", path).status_code == 404


def test_workflow_steps(matrix: Matrix) -> None:
    own_preparer = frozenset({"preparer_own"})
    own_reviewer = frozenset({"reviewer_own"})
    base = "/departments/{code}/2024"
    current = matrix.state()["current_version"]
    put = matrix.check(
        "PUT",
        base + "/dataset",
        own_preparer,
        content=SEED + b"\n\n",
        headers={"If-Match": str(current)},
    )
    assert put["preparer_own"].status_code == 201
    assert matrix.check("POST", base + "/submit", own_preparer)["preparer_own"].status_code == 200
    comment = {"comment": "请修改"}
    assert (
        matrix.check("POST", base + "/return", own_reviewer, json=comment)[
            "reviewer_own"
        ].status_code
        == 200
    )
    matrix.check("POST", base + "/submit", own_preparer)
    assert matrix.check("POST", base + "/approve", own_reviewer)["reviewer_own"].status_code == 200
    assert matrix.check("POST", base + "/publish", own_reviewer)["reviewer_own"].status_code == 200
    # Published: everyone may read the public view.
    for template in (
        "/public/published",
        "/public/{code}/2024",
        "/public/{code}/2024/documents/md",
    ):
        for r in matrix.check("GET", template, EVERYONE).values():
            assert r.status_code == 200


def test_deadlines_are_set_by_admins_and_read_within_the_region(matrix: Matrix) -> None:
    admin_only = frozenset({"admin"})
    template = "/deadlines/{region}/2024"

    def deadlines() -> list:  # type: ignore[type-arg]
        return matrix.call("admin", "GET", "/api/v1/deadlines").json()

    before = deadlines()
    set_ = matrix.check("PUT", template, admin_only, json={"due": "2025-09-30"})
    assert set_["admin"].status_code == 200 and set_["admin"].json()["due"] == "2025-09-30"
    for role, r in matrix.check("GET", "/deadlines", SIGNED_IN).items():
        regions = {d["region"] for d in r.json()}
        assert (matrix.region in regions) == (role in READERS), (role, regions)
    # The department-year shows its deadline to those who may read it.
    view = matrix.call("preparer_own", "GET", "/api/v1/departments/{code}/2024").json()
    assert view["deadline"]["due"] == "2025-09-30"
    refused_before = deadlines()
    assert matrix.check("DELETE", template, admin_only)["admin"].status_code == 204
    assert len(deadlines()) == len(refused_before) - 1
    assert {d["region"] for d in deadlines()} == {d["region"] for d in before}


def test_sign_out_is_for_the_signed_in_and_revokes_only_its_own_token(matrix: Matrix) -> None:
    matrix.seen.add(("POST", "/api/v1/auth/logout"))
    client = matrix.world.client
    assert client.post("/api/v1/auth/logout").status_code == 401
    for role, name in matrix.names.items():
        r = client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
        fresh = r.json()["access_token"]
        assert (
            client.post("/api/v1/auth/logout", headers=matrix.world.auth(fresh)).status_code == 204
        )
        assert client.get("/api/v1/me", headers=matrix.world.auth(fresh)).status_code == 401
        # The matrix's own token of that user still works.
        assert matrix.call(role, "GET", "/api/v1/me").status_code == 200


def test_every_endpoint_is_in_the_matrix(matrix: Matrix, app) -> None:  # type: ignore[no-untyped-def]
    # Run last in this module (pytest keeps file order): the other tests filled ``seen``.
    paths = app.openapi()["paths"]  # every API route, from the OpenAPI document
    routes = {
        (
            method.upper(),
            p.replace("{year}", "2024").replace("{fmt}", "md").replace("{check_id}", "{check}"),
        )
        for p, ops in paths.items()
        for method in ops
    }
    steps = ["submit", "return", "approve", "publish"]
    routes = {
        (m, p.replace("{step}", s)) for m, p in routes for s in (steps if "{step}" in p else [""])
    }
    routes = {(m, p.replace("{old}", "1").replace("{new}", "1")) for m, p in routes}
    assert len(routes) > 20
    seen = {(m, p.replace("/api/v1", "/api/v1")) for m, p in matrix.seen}
    untested = sorted(r for r in routes if r not in seen and r[1] != "/api/v1/auth/token")
    assert not untested, untested


# --- the policy itself, as a table ---------------------------------------------------------


def _actors() -> dict[str, Actor]:
    return {
        "anonymous": Actor(),
        "preparer_own": Actor(1, "p", Role.PREPARER, department_id=10),
        "preparer_other": Actor(2, "q", Role.PREPARER, department_id=11),
        "reviewer_own": Actor(3, "r", Role.REVIEWER, region_id=20),
        "reviewer_other": Actor(4, "s", Role.REVIEWER, region_id=21),
        "admin": Actor(5, "a", Role.ADMIN),
    }


EXPECTED = {
    Action.DEPARTMENT_CREATE: {"admin"},
    Action.DEPARTMENT_READ: READERS,
    Action.USER_MANAGE: {"admin"},
    Action.DATASET_READ: READERS,
    Action.DATASET_WRITE: {"preparer_own"},
    Action.SUBMIT: {"preparer_own"},
    Action.RETURN: {"reviewer_own"},
    Action.APPROVE: {"reviewer_own"},
    Action.PUBLISH: {"reviewer_own"},
    Action.VALIDATE: SIGNED_IN,
    Action.CHECK_CREATE: SIGNED_IN,
    Action.CHECK_READ: {"preparer_own", "admin"},
    Action.AUDIT_READ: {"admin"},
    Action.PUBLIC_READ: EVERYONE,
    Action.DEADLINE_SET: {"admin"},
}


@pytest.mark.parametrize("action", list(Action))
def test_policy_table(action: Action) -> None:
    assert set(EXPECTED) == set(RULES)
    target = Target(department_id=10, region_id=20, owner_id=1)
    got = {name for name, a in _actors().items() if allowed(a, action, target)}
    assert got == set(EXPECTED[action])
