import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.models import (
    Campaign,
    Household,
    Member,
    Script,
    ScriptSection,
    SurveyQuestion,
    TextTemplate,
)
from app.core.scripts import (
    RenderedSection,
    choose_script,
    fill,
    placeholder_values,
    render_script,
    render_text,
    sms_link,
    tel_link,
)

CAMPAIGN = Campaign(
    id="c1",
    slug="resource-fair",
    name="Resource fair",
    variables={"school": "Lab HS", "address": "12 Oak St", "date": "May 3", "time": "10 am"},
)


def make_household(**fields):
    defaults = {
        "id": "h1",
        "name": "García family",
        "language": "es",
        "members": [
            Member(name="María García", role="guardian"),
            Member(name="Ana García", role="student", grade="5"),
            Member(name="Luis García", role="student", grade="8", school="Roosevelt MS"),
        ],
        "tags": ["No-Device"],
    }
    return Household(**{**defaults, **fields})


def make_script(language, **fields):
    return Script(id=f"s-{language}", campaign_id="c1", language=language, **fields)


# --- fill ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected", "missing"),
    [
        ("Hello {guardian}", "Hello María", ()),
        ("Hello { guardian }!", "Hello María!", ()),
        ("{Guardian}", "María", ()),
        ("Hi {nobody}, from {caller}", "Hi [nobody?], from Sam", ("nobody",)),
        ("{a} {b} {a}", "[a?] [b?] [a?]", ("a", "b")),
        ("{{guardian}}", "{guardian}", ()),
        ("{{{guardian}}}", "{María}", ()),
        ("a {{ b }} c", "a { b } c", ()),
        ("a { b", "a { b", ()),
        ("a } b", "a } b", ()),
        ("{", "{", ()),
        ("}{", "}{", ()),
        ("{}", "{}", ()),
        ("{guardian.__class__}", "{guardian.__class__}", ()),
        ("{guardian!r}", "{guardian!r}", ()),
        ("{guardian:>30}", "{guardian:>30}", ()),
        ("{0}", "[0?]", ("0",)),
        ("", "", ()),
    ],
)
def test_fill(template, expected, missing):
    values = {"guardian": "María", "caller": "Sam"}
    assert fill(template, values) == (expected, missing)


def test_filled_values_are_not_filled_again():
    assert fill("{a}", {"a": "{b} \\1 {{", "b": "no"}) == ("{b} \\1 {{", ())


@pytest.mark.parametrize(
    "text",
    [
        "Xin chào gia đình {household}, tôi là {caller}.",
        "您好，{household}，我是{caller}。",
        "مرحبا {household}، أنا {caller}.",
    ],
)
def test_non_latin_text_survives(text):
    filled, missing = fill(text, {"household": "Nguyễn 家 عائلة", "caller": "Sam"})
    assert missing == ()
    assert filled == text.replace("{household}", "Nguyễn 家 عائلة").replace("{caller}", "Sam")


@given(st.text(), st.dictionaries(st.text(), st.text()))
def test_fill_never_raises(template, values):
    text, missing = fill(template, values)
    assert isinstance(text, str)
    assert all(f"[{name}?]" in text for name in missing)


@given(st.text().filter(lambda text: "{" not in text and "}" not in text), st.text())
def test_text_without_braces_is_unchanged(template, value):
    assert fill(template, {"household": value}) == (template, ())


@given(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True), st.text())
def test_any_known_name_is_filled(name, value):
    assert fill(f"<{{{name}}}>", {name: value}) == (f"<{value}>", ())


# --- placeholder values ---------------------------------------------------------------------


def test_placeholder_values():
    values = placeholder_values(make_household(), CAMPAIGN, "Sam")
    assert values == {
        "household": "García family",
        "family": "García family",
        "family_name": "García",
        "the_family": "la familia García",  # worded in the family's language
        "guardian": "María",
        "student": "Ana",
        "students": "Ana y Luis",
        "student_count": "2",
        "school": "Lab HS",
        "organization": "Lab HS",  # no organization of its own: the campaign's school
        "caller": "Sam",
        "campaign": "Resource fair",
        "address": "12 Oak St",
        "date": "May 3",
        "time": "10 am",
    }


def test_a_given_student_and_their_school():
    household = make_household()
    values = placeholder_values(household, CAMPAIGN, "Sam", student=household.students[1])
    assert (values["student"], values["school"]) == ("Luis", "Roosevelt MS")


def test_household_school_before_campaign_school():
    values = placeholder_values(make_household(school="Lab MS"), CAMPAIGN, "Sam")
    assert values["school"] == "Lab MS"


def test_household_without_members():
    campaign = CAMPAIGN.model_copy(update={"variables": {}})
    values = placeholder_values(make_household(members=[]), campaign, "Sam")
    assert values["guardian"] == "García family"
    assert not {"student", "students", "school"} & values.keys()
    assert fill("Is {student} at {school}?", values) == (
        "Is [student?] at [school?]?",
        ("student", "school"),
    )


def test_built_in_names_win_over_campaign_variables():
    campaign = CAMPAIGN.model_copy(update={"variables": {"caller": "someone", "extra": "x"}})
    values = placeholder_values(make_household(), campaign, "Sam")
    assert (values["caller"], values["extra"]) == ("Sam", "x")


# --- choosing a script ----------------------------------------------------------------------

SCRIPTS = [make_script("en"), make_script("es"), make_script("zh"), make_script("ar")]


@pytest.mark.parametrize(
    ("scripts", "language", "default", "expected"),
    [
        (SCRIPTS, "es", "en", "es"),
        (SCRIPTS, "ES", "en", "es"),
        (SCRIPTS, "es-MX", "en", "es"),
        (SCRIPTS, "es_MX", "en", "es"),
        (SCRIPTS, "zh-Hant", "en", "zh"),
        (SCRIPTS, "zh-Hant-TW", "en", "zh"),
        (SCRIPTS, "vi", "en", "en"),
        (SCRIPTS, "vi", "es", "es"),
        (SCRIPTS, "vi", "fr", "en"),
        ([make_script("zh-Hans"), make_script("zh-Hant")], "zh-Hant", "en", "zh-Hant"),
        ([make_script("zh-Hans"), make_script("zh-Hant")], "zh-Hant-HK", "en", "zh-Hant"),
        ([make_script("en"), make_script("es-US")], "es-MX", "en", "es-US"),
        ([make_script("en"), make_script("es_US")], "es-us", "en", "es_US"),
        ([make_script("fr"), make_script("vi")], "ar", "en", "fr"),
    ],
)
def test_choose_script(scripts, language, default, expected):
    chosen = choose_script(scripts, language, default)
    assert chosen is not None
    assert chosen.language == expected


def test_choose_script_with_none():
    assert choose_script([], "es", "en") is None


# --- rendering ------------------------------------------------------------------------------

SCRIPT = make_script(
    "es",
    title="Llamada de {campaign}",
    sections=[
        ScriptSection(id="intro", title="Hola {guardian}", body="Soy {caller} de {school}."),
        ScriptSection(id="device", body="¿{student} tiene computadora?", when_tags=["no-device"]),
        ScriptSection(id="food", body="Despensa el {date}", when_tags=["food", "housing"]),
        ScriptSection(id="close", body="Gracias, {nickname}."),
    ],
    questions=[
        SurveyQuestion(id="q1", prompt="¿Internet en casa?", type="yes_no"),
        SurveyQuestion(id="q2", prompt="¿Necesita {student} un equipo?", when_tags=["NO-DEVICE"]),
        SurveyQuestion(id="q3", prompt="¿Vivienda?", when_tags=["housing"]),
    ],
)


def test_render_script():
    rendered = render_script(SCRIPT, make_household(), CAMPAIGN, "Sam")
    assert (rendered.language, rendered.direction, rendered.fell_back) == ("es", "ltr", False)
    assert rendered.title == "Llamada de Resource fair"
    assert rendered.sections == [
        RenderedSection("intro", "Hola María", "Soy Sam de Lab HS."),
        RenderedSection("device", "", "¿Ana tiene computadora?"),
        RenderedSection("close", "", "Gracias, [nickname?].", ("nickname",)),
    ]
    assert [(q.id, q.prompt) for q in rendered.questions] == [
        ("q1", "¿Internet en casa?"),
        ("q2", "¿Necesita Ana un equipo?"),
    ]
    assert rendered.missing == ("nickname",)


@pytest.mark.parametrize(
    ("tags", "sections", "questions"),
    [
        ([], ["intro", "close"], ["q1"]),
        (["housing"], ["intro", "food", "close"], ["q1", "q3"]),
        ([" Food "], ["intro", "food", "close"], ["q1"]),
        (["no-device", "HOUSING"], ["intro", "device", "food", "close"], ["q1", "q2", "q3"]),
    ],
)
def test_conditional_sections_and_questions(tags, sections, questions):
    rendered = render_script(SCRIPT, make_household(tags=tags), CAMPAIGN, "Sam")
    assert [section.id for section in rendered.sections] == sections
    assert [question.id for question in rendered.questions] == questions


@pytest.mark.parametrize(
    ("tags", "needs", "sections"),
    [
        ([], ["housing"], ["intro", "food", "close"]),
        (["no-device"], [" Housing "], ["intro", "device", "food", "close"]),
        (["housing"], ["housing"], ["intro", "food", "close"]),
    ],
)
def test_needs_found_on_the_call_count_like_tags(tags, needs, sections):
    rendered = render_script(SCRIPT, make_household(tags=tags), CAMPAIGN, "Sam", needs=needs)
    assert [section.id for section in rendered.sections] == sections


def test_rendering_does_not_change_the_script():
    before = SCRIPT.model_copy(deep=True)
    render_script(SCRIPT, make_household(), CAMPAIGN, "Sam")
    assert before == SCRIPT


@pytest.mark.parametrize(
    ("script_language", "household_language", "direction", "fell_back"),
    [
        ("ar", "ar", "rtl", False),
        ("ar", "ar-EG", "rtl", False),
        ("en", "ar", "ltr", True),
        ("zh", "zh-Hant", "ltr", False),
        ("es", "es-MX", "ltr", False),
        ("en", "vi", "ltr", True),
    ],
)
def test_direction_and_fallback(script_language, household_language, direction, fell_back):
    script = make_script(script_language, sections=[ScriptSection(id="a", body="x")])
    household = make_household(language=household_language)
    rendered = render_script(script, household, CAMPAIGN, "Sam")
    assert (rendered.direction, rendered.fell_back) == (direction, fell_back)


@pytest.mark.parametrize(
    ("language", "body", "expected"),
    [
        ("ar", "مرحبا {guardian}، أنا {caller} من {school}.", "مرحبا María، أنا Sam من Lab HS."),
        ("zh-Hant", "{guardian}您好，我是{school}的{caller}。", "María您好，我是Lab HS的Sam。"),
        ("vi", "Chào {guardian}, tôi là {caller} ở {school}.", "Chào María, tôi là Sam ở Lab HS."),
    ],
)
def test_scripts_in_other_scripts_render_untouched(language, body, expected):
    script = make_script(language, sections=[ScriptSection(id="a", body=body)])
    rendered = render_script(script, make_household(language=language), CAMPAIGN, "Sam")
    assert rendered.sections[0].body == expected


# --- texts and links ------------------------------------------------------------------------


def test_render_text():
    template = TextTemplate(
        id="t1", label="Reminder", body="Hola {guardian}: feria el {date} a las {time}, {where}."
    )
    assert render_text(template, make_household(), CAMPAIGN, "Sam") == (
        "Hola María: feria el May 3 a las 10 am, [where?].",
        ("where",),
    )


@pytest.mark.parametrize(
    ("e164", "body", "expected"),
    [
        ("+15105550123", "", "sms:+15105550123"),
        ("+15105550123", "Hi", "sms:+15105550123?body=Hi"),
        ("+15105550123;ext=12", "Hi", "sms:+15105550123?body=Hi"),
        (
            "+15105550123",
            "12 Oak St & 3rd #4, 10% off? a=b+c",
            "sms:+15105550123?body=12%20Oak%20St%20%26%203rd%20%234%2C%2010%25%20off%3F%20a%3Db%2Bc",
        ),
        (
            "+15105550123",
            "línea 1\nمرحبا",
            "sms:+15105550123?body=l%C3%ADnea%201%0A%D9%85%D8%B1%D8%AD%D8%A8%D8%A7",
        ),
    ],
)
def test_sms_link(e164, body, expected):
    assert sms_link(e164, body) == expected


@pytest.mark.parametrize(
    ("e164", "prefix", "expected"),
    [
        ("+15105550123", None, "tel:+15105550123"),
        ("+15105550123", "*67", "tel:*67+15105550123"),
        ("+15105550123", "#31#", "tel:%2331%23+15105550123"),
        ("+15105550123;ext=12", None, "tel:+15105550123,12"),
    ],
)
def test_tel_link(e164, prefix, expected):
    assert tel_link(e164, prefix) == expected


@pytest.mark.parametrize(
    ("languages", "families"),
    [
        (["en", "es", "vi"], []),
        (["en", "zh-Hant"], ["Noto Sans TC"]),
        (["ar", "es"], ["Noto Sans Arabic"]),
        (["zh", "ar"], ["Noto Sans TC", "Noto Sans Arabic"]),
    ],
)
def test_a_page_names_only_the_script_fonts_its_languages_need(
    languages: list[str], families: list[str]
) -> None:
    from app.ui.theme import FONTS, fonts_for

    assert fonts_for(languages) == {family: FONTS[family] for family in families}
