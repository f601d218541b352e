import pytest

from booklet.errors import ContentError
from booklet.sources import Limits, load_yaml, resolve_inside


def write(tmp_path, text, name="f.yaml", raw=None):
    path = tmp_path / name
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def only_message(exc_info):
    (d,) = exc_info.value.diagnostics
    return str(d)


def test_times_stay_strings_and_values_keep_locations(tmp_path):
    path = write(tmp_path, "a: 10:00\nb:\n  - x\n  - 12\nc: 2025-01-27\nd: yes\n")
    data = load_yaml(path)
    assert data == {"a": "10:00", "b": ["x", 12], "c": "2025-01-27", "d": True}
    assert (data.value_locs["a"].line, data.value_locs["a"].col) == (1, 4)
    assert (data["b"].item_locs[1].line, data["b"].item_locs[1].col) == (4, 5)
    assert data.key_locs["c"].line == 5


def test_syntax_error_has_line_and_column(tmp_path):
    path = write(tmp_path, "a: 1\nb: [unclosed\nc: 2\n")
    with pytest.raises(ContentError) as exc:
        load_yaml(path)
    message = only_message(exc)
    assert message.startswith(f"{path}:3:")
    assert "YAML syntax error" in message


def test_object_tags_are_refused(tmp_path):
    path = write(tmp_path, "a: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(ContentError) as exc:
        load_yaml(path)
    assert only_message(exc) == (
        f"{path}:1:4: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
        "allowed (content files hold plain values only; remove the tag)"
    )


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(ContentError) as exc:
        load_yaml(path, Limits(max_nodes=100_000))
    assert "too many values (over 100,000)" in only_message(exc)


def test_duplicate_keys_are_errors(tmp_path):
    path = write(tmp_path, "a: 1\na: 2\n")
    with pytest.raises(ContentError) as exc:
        load_yaml(path)
    assert only_message(exc) == f"{path}:2:1: key 'a' appears twice in this mapping (keep one)"


def test_utf16_and_latin1_are_refused_with_a_hint(tmp_path):
    path = write(tmp_path, None, raw="a: b\n".encode("utf-16"))
    with pytest.raises(ContentError) as exc:
        load_yaml(path)
    assert "UTF-16" in only_message(exc)
    path = write(tmp_path, None, name="l.yaml", raw="a: 1\nb: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ContentError) as exc:
        load_yaml(path)
    assert only_message(exc) == (
        f"{path}:2:7: file is not valid UTF-8 (byte 0xe9) "
        "(save it as UTF-8; it may be Latin-1 or Windows-1252)"
    )


def test_utf8_bom_is_accepted(tmp_path):
    path = write(tmp_path, None, raw=b"\xef\xbb\xbfa: b\n")
    assert load_yaml(path) == {"a": "b"}


def test_resolve_inside_refuses_escapes(tmp_path):
    root = tmp_path / "content"
    (root / "abstracts").mkdir(parents=True)
    (tmp_path / "secret.md").write_text("secret")
    (root / "abstracts" / "link.md").symlink_to(tmp_path / "secret.md")
    assert resolve_inside(root, "abstracts/x.md") == (root / "abstracts" / "x.md").resolve()
    assert resolve_inside(root, "../secret.md") is None
    assert resolve_inside(root, str(tmp_path / "secret.md")) is None
    assert resolve_inside(root, "abstracts/link.md") is None
