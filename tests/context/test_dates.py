import datetime as dt

import pytest

from casus.context.dates import parse_dateline, resolve

PUB = dt.date(2023, 3, 15)  # a Wednesday


@pytest.mark.parametrize("expr,expected", [
    ("Wednesday", ("2023-03-15", "day")),
    ("last Friday", ("2023-03-10", "day")),
    ("on Monday night", ("2023-03-13", "day")),
    ("yesterday", ("2023-03-14", "day")),
    ("three years ago", ("2020-01-01", "year")),
    ("last month", ("2023-02-01", "month")),
    ("early January", ("2023-01-01", "month")),
    ("in November", ("2022-11-01", "month")),
    ("since 2014", ("2014-01-01", "year")),
    ("4 July 2021", ("2021-07-04", "day")),
    ("July 4, 2021", ("2021-07-04", "day")),
    ("2021-07-04", ("2021-07-04", "day")),
    ("March 2019", ("2019-03-01", "month")),
    ("next week", ("2023-03-20", "week")),
])
def test_expressions(expr, expected):
    assert resolve(expr, PUB) == expected


def test_future_weekday_points_forward():
    assert resolve("Friday", PUB, future=True) == ("2023-03-17", "day")


def test_unresolvable():
    assert resolve("at noon", PUB) is None


def test_datelines():
    assert parse_dateline("QUITO, 5 May 2024 (Andes Daily) - The ...")[1:3] == ("2024-05-05", "Andes Daily")
    assert parse_dateline("LIMA (Reuters) - Peru said")[0::2] == ("LIMA", "Reuters")
    assert parse_dateline("Peru said (later) - no")[3] == 0
