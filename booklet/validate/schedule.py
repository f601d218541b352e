"""A validated programme -> warnings about its schedule: two items in one room at once, a
speaker in two places, an item hours away from the rest of its day (a typo such as 03:00
for 15:00)."""

from __future__ import annotations

from booklet import model

# Gap after which an item looks misplaced (a typo such as 03:00 for 15:00).
OUTLIER_GAP_MINUTES = 180
# Overlap warnings listed for one day at most.
MAX_OVERLAP_WARNINGS = 100


class ScheduleChecks:
    """The schedule's warnings, for the validator (`Builder`)."""

    def schedule_warnings(self, programme: model.Programme) -> None:
        for day in programme.days:
            self.overlap_warnings(day)
            self.outlier_warnings(day.items)

    def overlap_warnings(self, day: model.Day) -> None:
        """Items sharing a room or a speaker at the same time. A day's items are sorted by
        start, so each is compared only with those starting before it ends; and a day lists
        at most MAX_OVERLAP_WARNINGS, so a hostile programme cannot make this quadratic."""
        items = day.items
        warned = 0
        for a_index, a in enumerate(items):
            a_end = a.end_minutes
            if a_end is None:  # a moment overlaps only what started before it (seen there)
                continue
            for b_index in range(a_index + 1, len(items)):
                b = items[b_index]
                if b.start_minutes >= a_end:
                    break
                if not _overlap(a, b):
                    continue
                # Posters of one session hang side by side: sharing the room is the point.
                together = a.is_poster and b.is_poster and a.session == b.session
                shared = [] if together else [r.name for r in a.rooms if r in b.rooms]
                both = [p.name for p in a.speakers if p in b.speakers]
                if (shared or both) and warned >= MAX_OVERLAP_WARNINGS:
                    self.warn_item(
                        b,
                        f"more items overlap on {day.date}; only the first "
                        f"{MAX_OVERLAP_WARNINGS} overlaps are listed",
                        "fix those first",
                    )
                    return
                if shared:
                    warned += 1
                    self.warn_item(
                        b,
                        f"overlaps '{a.display_title}' ({_span(a)}) in {shared[0]}",
                        "two items cannot share a room at the same time",
                    )
                for name in both:
                    warned += 1
                    self.warn_item(
                        b,
                        f"{name} is also in '{a.display_title}' ({_span(a)}) at that time",
                        "a speaker cannot be in two places at once",
                    )

    def outlier_warnings(self, items: tuple[model.Item, ...]) -> None:
        if len(items) < 3:
            return
        # The earliest start and latest end of the others: the two extremes of the day
        # suffice (linear, not quadratic, in the number of items).
        starts = [o.start_minutes for o in items]
        ends = [o.end_minutes or o.start_minutes for o in items]
        by_start = sorted(range(len(items)), key=starts.__getitem__)[:2]
        by_end = sorted(range(len(items)), key=ends.__getitem__, reverse=True)[:2]
        for i, item in enumerate(items):
            if item.kind in ("social", "meal"):  # evening receptions and dinners are normal
                continue
            first = starts[by_start[1] if i == by_start[0] else by_start[0]]
            last = ends[by_end[1] if i == by_end[0] else by_end[0]]
            end = ends[i]
            if item.start_minutes - last > OUTLIER_GAP_MINUTES:
                gap = item.start_minutes - last
            elif first - end > OUTLIER_GAP_MINUTES:
                gap = first - end
            else:
                continue
            self.warn_item(
                item,
                f"starts at {item.start:%H:%M}, {gap // 60} h {gap % 60:02d} min away from "
                "the day's other items",
                "check the time (am/pm?)",
            )

    def warn_item(self, item: model.Item, what: str, hint: str) -> None:
        loc, where = self.item_locs[item.id]
        self.c.warn(loc, where, what, hint)


def _overlap(a: model.Item, b: model.Item) -> bool:
    """Do two items take place at the same time? Open-ended items are moments."""
    a0, b0 = a.start_minutes, b.start_minutes
    a1, b1 = a.end_minutes, b.end_minutes
    if a1 is not None and b1 is not None:
        return a0 < b1 and b0 < a1
    if a1 is not None:
        return a0 < b0 < a1
    if b1 is not None:
        return b0 < a0 < b1
    return False


def _span(item: model.Item) -> str:
    return f"{item.start:%H:%M}-{item.end:%H:%M}" if item.end else f"{item.start:%H:%M}"
