"""people.yaml -> the people of the programme (`model.Person`), by id."""

from __future__ import annotations

import difflib

from booklet import model
from booklet.cleaning import derive_sort_name
from booklet.sources import Mapping
from booklet.validate.checker import join_key

ROLES = model.ROLES


class PeopleReader:
    """Reads people.yaml, for the validator (`Builder`)."""

    def read_people(self, m: Mapping) -> None:
        c = self.c
        keys = {
            "id": True,
            "name": True,
            "sort_name": False,
            "affiliation": False,
            "bio": False,
            "role": False,
            "email": False,
        }
        for i, (value, loc) in enumerate(self.list_of(m, "people", "")):
            where = f"people[{i}]"
            if not c.mapping(value, loc, where, keys):
                continue
            pid = c.ident(value, "id", where)
            name = c.text(value, "name", where, required=True)
            if pid in self.people:
                c.error(
                    value.value_locs["id"],
                    join_key(where, "id"),
                    f"duplicate person id {pid!r}",
                    "each person is defined once; refer to them by id",
                )
                continue
            role = c.text(value, "role", where, default="speaker")
            if role not in ROLES:
                close = difflib.get_close_matches(role, ROLES, n=1)
                c.error(
                    value.value_locs["role"],
                    join_key(where, "role"),
                    f"unknown role {role!r}",
                    f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(ROLES),
                )
            if pid and name:
                self.people[pid] = model.Person(
                    id=pid,
                    name=name,
                    sort_name=c.text(value, "sort_name", where) or derive_sort_name(name),
                    affiliation=c.text(value, "affiliation", where),
                    bio=c.text(value, "bio", where, multiline=True),
                    role=role,
                    email=self.email(value, where),
                )

    def email(self, m: Mapping, where: str) -> str | None:
        """A person's `email`, checked as `booklet mail` will send to it."""
        from booklet.mail.address import AddressProblem, check_address

        text = self.c.text(m, "email", where)
        if text is None:
            return None
        try:
            return check_address(text)
        except AddressProblem as exc:
            self.c.error(
                m.value_locs["email"], join_key(where, "email"), f"{exc.what}: {text!r}", exc.hint
            )
            return None

    # -- days and items --------------------------------------------------------------------
