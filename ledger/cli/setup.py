"""``fundbook init``: set up an empty store (registered by ``ledger.cli``; issue 17).

    fundbook init                                   asks for each answer (password typed twice)
    fundbook init --org-name 红星街道党工委 --org-kind street_committee --established-on 2020-01-01 \\
        --admin-name 周建国 --login zhou            for scripts; the password from
                                                    FUNDBOOK_INIT_PASSWORD or --password

It creates the first organisation (a root of either tree) and its first administrator: a person,
a user holding ``admin`` over the organisation, a login and password for the console, and an API
token printed once. A store holding any event is refused with one line and exit 1, and nothing
is written.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ledger.cli.root import DbOption, app, parse_date, writing_ledger
from ledger.domain import errors
from ledger.domain.organisation import ALLOWED_PARENTS, KIND_LABELS

ROOT_KINDS = tuple(kind for kind, parents in ALLOWED_PARENTS.items() if None in parents)


def root_kind(text: str) -> str:
    """A kind that may be a root, by its code (street_committee) or its Chinese label (街道党工委)."""
    value = text.strip()
    for kind in ROOT_KINDS:
        if value in (kind, KIND_LABELS[kind][0]):
            return kind
    allowed = ", ".join(f"{kind} {KIND_LABELS[kind][0]}" for kind in ROOT_KINDS)
    raise errors.ValueNotAllowed(field="org_kind", value=value, allowed=allowed)


def _ask(value: str | None, question: str, *, default: str | None = None, hide: bool = False) -> str:
    if value is not None:
        return value
    return typer.prompt(question, default=default, hide_input=hide, confirmation_prompt=hide)


@app.command("init")
def init(
    db: DbOption = None,
    org_name: Annotated[
        str | None, typer.Option(help="the first organisation's name, e.g. 红星街道党工委")
    ] = None,
    org_kind: Annotated[
        str | None, typer.Option(help=f"a root kind: {', '.join(ROOT_KINDS)} (or its Chinese label)")
    ] = None,
    established_on: Annotated[str | None, typer.Option(help="its establishment date (YYYY-MM-DD)")] = None,
    branch_kind: Annotated[str | None, typer.Option(help="for a branch: ordinary, retiree, joint")] = None,
    admin_name: Annotated[str | None, typer.Option(help="the administrator's full name, e.g. 周建国")] = None,
    login: Annotated[str | None, typer.Option(help="the administrator's login name for the console")] = None,
    password: Annotated[
        str | None,
        typer.Option(envvar="FUNDBOOK_INIT_PASSWORD", help="the console password (else asked twice)"),
    ] = None,
) -> None:
    """Set up an empty store: the first organisation and its administrator (asks for what the
    flags do not give)."""
    with writing_ledger(db) as ledger:
        ledger.check_store_empty()  # before any question: a full store is refused at once
        kinds = " / ".join(f"{kind} {KIND_LABELS[kind][0]}" for kind in ROOT_KINDS)
        kind = root_kind(_ask(org_kind, f"organisation kind 组织类别 ({kinds})", default="street_committee"))
        name = _ask(org_name, "organisation name 组织名称")
        day = parse_date(_ask(established_on, "established on 成立日期 (YYYY-MM-DD)"), "established_on")
        admin = _ask(admin_name, "administrator's name 管理员姓名")
        login_name = _ask(login, "login name 登录名")
        secret = _ask(password, "password 密码 (10+ characters)", hide=True)
        token, recorded = ledger.initialise(
            actor="init",
            kind=kind,
            name_zh=name,
            established_on=day,
            branch_kind=branch_kind,
            admin_name_zh=admin,
            login=login_name,
            password=secret,
        )
    done = recorded.result
    typer.echo(f"initialised 已初始化: {name} ({KIND_LABELS[kind][0]}, {kind}) org {done['org_id']}")
    typer.echo(
        f"administrator 管理员 {admin}: person {done['person_id']}, user {done['user_id']}, "
        f"login {done['login']}"
    )
    typer.echo(f"token (shown once, keep it safe 仅显示一次，请妥善保存): {token}")
