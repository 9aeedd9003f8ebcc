"""``govdata-policy rules list|show|quotes -j J``: what a profile checks, with clause and text."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from .common import fail, jurisdiction_option


class ListLang(StrEnum):
    en = "en"
    zh = "zh"


def period_text(rule: Any, lang: str = "en") -> str:
    period = getattr(rule, "period", None)
    if period is not None:
        text = period.describe(lang)
        extension = getattr(rule, "extension", None)
        if extension is not None:
            most = extension.max_working_days
            text += f" (+≤{most} wd ext.)" if lang == "en" else f"（可延长≤{most}个工作日）"
        return text
    if getattr(rule, "due_attribute", None):
        return f"by {rule.due_attribute}" if lang == "en" else f"至{rule.due_attribute}"
    return "—"


def _given(ctx: typer.Context, name: str, value: Any) -> Any:
    """An option of a `rules` command, or else as given before the command (`rules -j J list`);
    the jurisdiction is required in one place or the other."""
    if value is None and ctx.parent is not None:
        value = ctx.parent.params.get(name)
    if value is None and name == "jurisdiction":
        usage = "show RULE_ID" if ctx.info_name == "show" else ctx.info_name
        fail(f"-j/--jurisdiction is required: govdata-policy rules {usage} -j JURISDICTION",
             f"需要 -j/--jurisdiction：govdata-policy rules {usage} -j 辖区", _lang(ctx))
    return value


def _lang(ctx: typer.Context) -> str:
    """The --lang of a `rules` command, or else as given before it (`rules --lang zh show …`): the language
    its errors are said in, as check's are."""
    lang = ctx.params.get("lang") or (ctx.parent.params.get("lang") if ctx.parent is not None else None)
    return ListLang(lang or ListLang.en).value


def register(app: typer.Typer) -> None:
    rules_app = typer.Typer(help="List or show a profile's rules, or check their quotations.",
                            invoke_without_command=True)
    app.add_typer(rules_app, name="rules")

    @rules_app.callback()
    def rules_default(
        ctx: typer.Context,
        jurisdiction: Annotated[str | None, jurisdiction_option(
            "With no command: list this profile's rules (rules -j J).")] = None,
        lang: Annotated[ListLang, typer.Option("--lang", help="Titles in English or Chinese.")] = ListLang.en,
    ) -> None:
        """`rules -j J` is `rules list -j J`."""
        if ctx.invoked_subcommand is not None:
            return
        if jurisdiction is None:
            typer.echo(ctx.get_help())
            raise typer.Exit(2)
        _list(jurisdiction, ListLang(lang))

    @rules_app.command("list")
    def list_rules(
        ctx: typer.Context,
        jurisdiction: Annotated[str | None, jurisdiction_option()] = None,
        lang: Annotated[ListLang | None, typer.Option("--lang", help="Titles in English or Chinese.")] = None,
    ) -> None:
        """One line per rule: id, clause, kind, topic, period, obligor, penalty, title (a terminal under 120
        columns: id, clause, period, penalty)."""
        _list(_given(ctx, "jurisdiction", jurisdiction), ListLang(_lang(ctx)))

    def _list(jurisdiction: str, lang: ListLang) -> None:
        from rich import box
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        from .check_cmd import load_profile

        profile = load_profile(jurisdiction, lang.value)
        console = Console(emoji=False)  # a drafter's ":smile:" is text, as the cells (Text, not markup) are
        if not console.is_terminal:  # piped or redirected: every column, as wide as they need
            console = Console(width=220, emoji=False)
        # below 120 columns the kind, topic, obligor and title go (`rules show` has them): the id,
        # which `rules show` takes, is never cut, and the rest keep a readable width
        wide = console.width >= 120
        names = ("id", "clause", "kind", "topic", "period", "obligor", "penalty", "title") if wide else (
            "id", "clause", "period", "penalty")
        # a Text title is not given the table's title style (italic), as a str is: it is given here
        table = Table(title=Text(f"{profile.spec.title_zh} {profile.spec.title_en}: {len(profile.rules)} rules",
                                 style="table.title"),
                      box=box.HEAVY_HEAD if wide else box.SIMPLE)
        for name in names:
            table.add_column(name, no_wrap=name in ("id", "clause", "kind", "period", "penalty"))
        for rule in profile.rules:
            obligor = rule.obligor_role + (f" ({rule.party})" if rule.party else "")  # the parties entry it names
            cells = {"id": rule.id, "clause": rule.clause, "kind": rule.kind, "topic": rule.topic,
                     "period": period_text(rule, lang.value), "obligor": obligor,
                     "penalty": rule.penalty or "—",
                     "title": rule.title_zh if lang == "zh" else rule.summary_en}
            table.add_row(*(Text(cells[name]) for name in names))  # "[this profile: …]" is text
        console.print(table)

    @rules_app.command("show")
    def show_rule(
        ctx: typer.Context,
        rule_id: Annotated[str, typer.Argument()],
        jurisdiction: Annotated[str | None, jurisdiction_option()] = None,
        lang: Annotated[ListLang | None, typer.Option("--lang", help="Language of error messages.")] = None,
    ) -> None:
        """Everything about one rule: the quoted clause, its reading, penalty and source file."""
        import yaml

        from .check_cmd import load_profile

        jurisdiction = _given(ctx, "jurisdiction", jurisdiction)

        said = _lang(ctx)
        profile = load_profile(jurisdiction, said)
        rule = profile.rules_by_id.get(rule_id)
        if rule is None:
            fail(f"no rule {rule_id!r} in {profile.name}; see `govdata-policy rules list -j {jurisdiction}`",
                 f"{profile.name}中没有规则{rule_id!r}；见 `govdata-policy rules list -j {jurisdiction}`", said)
        data = rule.model_dump(by_alias=True, exclude_none=True)
        document = profile.spec.documents.get(rule.document)
        penalty = profile.spec.penalties.items.get(rule.penalty or "")
        for reading in data.get("readings", []):  # which of its options this profile applies
            reading["in_force"] = profile.parameter(reading["param"], reading["default"])
        data["_document"] = document.title_zh if document else rule.document
        data["_cited_zh"] = profile.spec.cite_zh(rule.clause, rule.document)  # 第二十九条第（三）项, 五（三）2
        data["_penalty_cited_zh"] = profile.spec.cite_penalty_zh(rule.penalty) if rule.penalty else None
        data["_penalty_text"] = penalty.text_zh if penalty else None
        data["_layer"] = profile.rule_layer.get(rule.id)
        data["_file"] = profile.rule_file[rule.id].name
        typer.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))

    @rules_app.command("quotes")
    def check_quotes(
        ctx: typer.Context,
        jurisdiction: Annotated[str | None, jurisdiction_option()] = None,
        lang: Annotated[ListLang | None, typer.Option("--lang", help="Language of error messages.")] = None,
    ) -> None:
        """Check that every quoted clause is its source document's words; exit 1 if one is not."""
        from ..quotes import check_quotations, quotations
        from .check_cmd import load_profile

        jurisdiction = _given(ctx, "jurisdiction", jurisdiction)

        profile = load_profile(jurisdiction, _lang(ctx))
        problems = check_quotations(profile)
        for problem in problems:
            typer.echo(str(problem))
        count = sum(1 for _ in quotations(profile))
        if problems:
            typer.echo(f"{len(problems)} of {count} quotations of {profile.name} do not match their sources "
                       "(or their clauses)", err=True)
            raise typer.Exit(1)
        typer.echo(f"{count} quotations of {profile.name}: each found in its source document")
