"""Users on a real store: a token signs a user in, roles cover subtrees, `fundbook user add`
prints a token once and keeps only its hash, and `fundbook user password` keeps only an scrypt
hash of a password, under a login name held by one user."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from ledger.application.bootstrap import build_ledger
from ledger.cli import app as cli
from ledger.config import Settings
from ledger.domain import errors


@pytest.fixture
def world(ledger):
    return make_world(ledger)


def make_world(ledger):
    """A community, its two branches, a person and their user (also tests/test_auth_cache.py)."""
    community = ledger.register_organisation(
        actor="admin", kind="community_committee", name_zh="社区党委", established_on=date(2020, 1, 1)
    )["org_id"]
    branch_a, branch_b = (
        ledger.register_organisation(
            actor="admin",
            kind="branch",
            name_zh=name,
            parent_org_id=community,
            established_on=date(2020, 1, 1),
        )["org_id"]
        for name in ("第一支部", "第二支部")
    )
    person = ledger.register_person(actor="admin", name_zh="孙丽华")["person_id"]
    user_id = ledger.register_user(actor="admin", person_id=person)["user_id"]
    return {"community": community, "a": branch_a, "b": branch_b, "person": person, "user": user_id}


def test_token_signs_in_the_user_it_was_issued_to(ledger, world):
    token, _ = ledger.issue_token(world["user"], actor="admin")
    assert str(ledger.authenticate(token).id) == world["user"]


def test_unknown_or_missing_token_is_refused(ledger, world):
    for token, code in ((None, "authentication_required"), ("fbk_nope", "token_invalid")):
        with pytest.raises(errors.LedgerError) as excinfo:
            ledger.authenticate(token)
        assert (excinfo.value.code, excinfo.value.status) == (code, 401)


def test_role_of_one_branch_does_not_reach_another_branch(ledger, world):
    ledger.change_role(world["user"], "grant", actor="admin", role="bookkeeper", org_id=world["a"])
    user = ledger.user(world["user"])
    ledger.require(user, "bookkeeper", world["a"])
    with pytest.raises(errors.LedgerError) as excinfo:
        ledger.require(user, "bookkeeper", world["b"])
    assert (excinfo.value.code, excinfo.value.status) == ("role_required", 403)


def test_role_of_the_community_reaches_both_branches_and_is_revoked_by_an_event(ledger, world):
    ledger.change_role(world["user"], "grant", actor="admin", role="auditor", org_id=world["community"])
    for branch in (world["a"], world["b"]):
        ledger.require(ledger.user(world["user"]), "auditor", branch)
    position = ledger.recorder.max_notification_id()
    ledger.change_role(world["user"], "revoke", actor="chair", role="auditor", org_id=world["community"])
    assert ledger.recorder.max_notification_id() == position + 1
    with pytest.raises(errors.LedgerError):
        ledger.require(ledger.user(world["user"]), "auditor", world["a"])


def test_user_add_prints_a_token_once_and_stores_only_its_hash(ledger, world, database_url):
    result = CliRunner().invoke(
        cli,
        ["user", "add", "--person", world["person"], "--role", "bookkeeper", "--org", world["a"]],
        env={"FUNDBOOK_DATABASE_URL": database_url},
    )
    assert result.exit_code == 0, result.output
    token = result.output.split("keep it safe): ")[1].strip()
    assert str(ledger.authenticate(token).id) == world["user"]
    stored = b"".join(n.state for n in ledger.recorder.select_notifications(start=None, limit=10_000))
    assert token.encode() not in stored


def test_user_add_names_the_error_code_for_an_unknown_organisation(world, database_url):
    result = CliRunner().invoke(
        cli,
        ["user", "add", "--person", world["person"], "--role", "bookkeeper", "--org", "nowhere"],
        env={"FUNDBOOK_DATABASE_URL": database_url},
    )
    assert result.exit_code == 1
    assert "organisation_not_found" in result.output


def test_user_tokens_lists_ids_and_revoke_token_stops_a_lost_token(ledger, world, database_url):
    env = {"FUNDBOOK_DATABASE_URL": database_url}
    kept, _ = ledger.issue_token(world["user"], actor="admin")
    lost, recorded = ledger.issue_token(world["user"], actor="admin")
    lost_id = recorded.result["token_id"]

    listed = CliRunner().invoke(cli, ["user", "tokens", "--user", world["user"]], env=env)
    assert listed.exit_code == 0, listed.output
    assert lost_id in listed.output and lost not in listed.output and kept not in listed.output

    revoke = ["user", "revoke-token", "--user", world["user"], "--token", lost_id]
    done = CliRunner().invoke(cli, revoke, env=env)
    assert done.exit_code == 0, done.output
    with pytest.raises(errors.LedgerError) as excinfo:
        ledger.authenticate(lost)
    assert excinfo.value.code == "token_invalid"
    assert str(ledger.authenticate(kept).id) == world["user"]
    again = CliRunner().invoke(cli, revoke, env=env)
    assert again.exit_code == 1 and "token_already_revoked" in again.output


# --- passwords for the console (`fundbook user password`) ----------------------------------
PASSWORD = "十月的桂花香-2025"


def _set(database_url: str, user: str, login: str, password: str = PASSWORD):
    return CliRunner().invoke(
        cli,
        ["user", "password", "--user", user, "--login", login],
        input=f"{password}\n{password}\n",
        env={"FUNDBOOK_DATABASE_URL": database_url},
    )


def test_user_password_stores_only_a_salted_scrypt_hash_and_signs_the_user_in(ledger, world, database_url):
    result = _set(database_url, world["user"], "sunlihua")

    assert result.exit_code == 0, result.output
    assert str(ledger.authenticate_password("SunLiHua", PASSWORD).id) == world["user"]
    stored = b"".join(n.state for n in ledger.recorder.select_notifications(start=None, limit=10_000))
    assert PASSWORD.encode() not in stored and b"password_hash" in stored


def test_a_wrong_password_or_an_unknown_login_is_refused_with_password_invalid(ledger, world):
    ledger.set_password(world["user"], actor="admin", login="sunlihua", password=PASSWORD)

    for login, password in (("sunlihua", PASSWORD + "x"), ("nobody", PASSWORD), ("", "")):
        with pytest.raises(errors.PasswordInvalid):
            ledger.authenticate_password(login, password)


def test_a_short_password_is_refused_with_password_too_short(ledger, world, database_url):
    result = _set(database_url, world["user"], "sunlihua", "short")

    assert result.exit_code == 1 and "password_too_short" in result.output
    with pytest.raises(errors.PasswordInvalid):
        ledger.authenticate_password("sunlihua", "short")


def test_a_login_name_held_by_one_user_is_refused_to_another_with_login_taken(ledger, world):
    other_person = ledger.register_person(actor="admin", name_zh="周明")["person_id"]
    other = ledger.register_user(actor="admin", person_id=other_person)["user_id"]
    ledger.set_password(world["user"], actor="admin", login="sunlihua", password=PASSWORD)

    with pytest.raises(errors.LoginTaken):
        ledger.set_password(other, actor="admin", login="SUNLIHUA", password=PASSWORD)


def test_a_new_password_replaces_the_old_one(ledger, world):
    ledger.set_password(world["user"], actor="admin", login="sunlihua", password=PASSWORD)
    ledger.set_password(world["user"], actor="admin", login="sunlihua", password=PASSWORD + "2")

    with pytest.raises(errors.PasswordInvalid):
        ledger.authenticate_password("sunlihua", PASSWORD)
    assert ledger.authenticate_password("sunlihua", PASSWORD + "2")


def test_a_token_revoked_by_another_process_is_refused_here_at_once_when_the_auth_cache_is_off(
    database_url, open_ledger, world
):
    """Readers keep their own cache of aggregates (``Ledger._get``); it still reads the events
    saved since, so with FUNDBOOK_AUTH_CACHE_S=0 a revocation written by another worker process
    takes effect on the next request here, not when this process next writes to that token
    (with the cache on, within its window: tests/test_auth_cache.py)."""
    here, there = build_ledger(Settings(database_url=database_url, auth_cache_s=0)), open_ledger()
    token, _ = here.issue_token(world["user"], actor="admin")
    assert str(here.authenticate(token).id) == world["user"]  # cached by this process's readers
    there.revoke_token(token, actor="admin")
    with pytest.raises(errors.LedgerError) as excinfo:
        here.authenticate(token)
    here.close()
    assert excinfo.value.code == "token_invalid"


def test_readers_never_see_the_writers_unsaved_changes(ledger, world):
    """The readers' cache holds saved events only: while a unit of work has changed the user in
    memory (here a dry run, which then saves nothing), a read from another thread sees the
    saved user."""
    import threading

    ledger.change_role(world["user"], "grant", actor="admin", role="bookkeeper", org_id=world["a"])
    seen: list[bool] = []

    def work(ctx):
        user = ledger.user(world["user"])  # the writer's own cache, changed in place below
        user.grant(ctx, role="auditor", org_id=world["b"])
        assert user.holds("auditor", [world["b"]])
        reader = threading.Thread(
            target=lambda: seen.append(ledger.user(world["user"]).holds("auditor", [world["b"]]))
        )
        reader.start()
        reader.join()
        return [user], {}

    ledger.execute("user.grant", {}, actor="admin", request_id=None, work=work, dry_run=True)
    assert seen == [False]
    assert not ledger.user(world["user"]).holds("auditor", [world["b"]])
