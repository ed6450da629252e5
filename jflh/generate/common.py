"""Small vectorized helpers of the generator: dates, Arrow arrays, identifiers.

Dates are carried as int32 days since 1970-01-01 (Arrow date32), months as the
integer month index of `jflh.params.month_index` (`year * 12 + month - 1`).
`NULL` marks a missing date in an int32 array.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from jflh.extracts import DISTRICTS
from jflh.ids import USCC_CHARSET, id_check_char, uscc_check_char

NULL = np.int32(np.iinfo(np.int32).min)
DISTRICT_CODES = np.array(list(DISTRICTS))
EPOCH_MONTH = 1970 * 12


# ---------------------------------------------------------------- dates
def day(value: dt.date) -> int:
    """A Python date -> days since 1970-01-01."""
    return (value - dt.date(1970, 1, 1)).days


def month_first_day(months: np.ndarray | int) -> np.ndarray:
    """Month index -> date32 of its first day."""
    m = np.asarray(months, dtype=np.int64) - EPOCH_MONTH
    return m.astype("datetime64[M]").astype("datetime64[D]").astype(np.int32)


def month_of(days: np.ndarray) -> np.ndarray:
    """date32 -> month index (NULL stays NULL)."""
    d = np.asarray(days)
    out = d.astype("datetime64[D]").astype("datetime64[M]").astype(np.int32) + EPOCH_MONTH
    return np.where(d == NULL, NULL, out).astype(np.int32)


def year_of(days: np.ndarray) -> np.ndarray:
    """date32 -> calendar year."""
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int32) + 1970


def ymd_digits(days: np.ndarray) -> np.ndarray:
    """date32 -> (n, 8) digits YYYYMMDD."""
    d = np.asarray(days).astype("datetime64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return digits(y * 10000 + m * 100 + dd, 8)


def day_in_month(rng: np.random.Generator, months: np.ndarray) -> np.ndarray:
    """A uniformly drawn day of each month."""
    first = month_first_day(months)
    length = month_first_day(np.asarray(months) + 1) - first
    return (first + (rng.random(len(first)) * length).astype(np.int32)).astype(np.int32)


def in_run(month: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """month in [start, start + length)."""
    return (month >= start) & (month < start + length)


# ---------------------------------------------------------------- Arrow arrays
def date_array(days: np.ndarray) -> pa.Array:
    """int32 days (NULL = missing) -> date32."""
    d = np.asarray(days, dtype=np.int32)
    return pa.array(d, mask=d == NULL).view(pa.date32())


def decimal_array(cents: np.ndarray) -> pa.Array:
    """int64 cents (>= 0) -> decimal128(18, 2), exactly."""
    c = np.asarray(cents, dtype=np.int64)
    words = np.zeros((len(c), 2), dtype=np.int64)
    words[:, 0] = c
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(c), [None, pa.py_buffer(words.tobytes())])


def pick(values, index: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """Strings values[index]; index < 0 (or `null`) gives null."""
    index = np.asarray(index)
    mask = index < 0 if null is None else null
    return pa.array(list(values), pa.string()).take(pa.array(np.where(mask, 0, index), mask=mask))


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers -> (n, width) decimal digits."""
    v = np.asarray(values, dtype=np.int64)[:, None]
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (v // powers) % 10


def fixed_strings(codes: np.ndarray) -> pa.Array:
    """(n, k) array of ASCII codes -> Arrow strings of length k."""
    codes = np.ascontiguousarray(codes, dtype=np.uint8)
    return pa.array(codes.view(f"S{codes.shape[1]}").ravel()).cast(pa.string())


def numbered(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """prefix + zero-padded number, e.g. numbered('P', [7], 4) -> 'P0007'."""
    body = digits(numbers, width) + ord("0")
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    return fixed_strings(np.hstack([np.broadcast_to(head, (len(body), len(head))), body]))


def join(*parts) -> pa.Array:
    """Element-wise concatenation of string arrays / scalars."""
    return pa.compute.binary_join_element_wise(*parts, "")


# ---------------------------------------------------------------- identifiers
# Province-level prefixes of GB/T 2260 (where Beijing's applicants come from).
PROVINCES = np.array([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                      42, 43, 44, 45, 46, 50, 51, 52, 53, 61, 62, 63, 64, 65, 54])


def id_numbers(birth: np.ndarray, male: np.ndarray, serial: np.ndarray) -> pa.Array:
    """GB 11643 resident ID numbers. `serial` (0 … 1.86M) makes (area, sequence)
    unique, so IDs are unique whatever the birth dates."""
    serial = np.asarray(serial, dtype=np.int64)
    prov = PROVINCES[(serial // 100) % len(PROVINCES)]
    rest = serial // (100 * len(PROVINCES))
    area = prov * 10000 + (rest % 20 + 1) * 100 + (rest // 20) % 30 + 1
    gender_digit = 2 * ((serial * 7) % 5) + np.asarray(male, dtype=np.int64)
    seq = (serial % 100) * 10 + gender_digit
    first17 = np.hstack([digits(area, 6), ymd_digits(birth), digits(seq, 3)])
    check = id_check_char(first17).astype("S1").view(np.uint8)[:, None]
    return fixed_strings(np.hstack([first17 + ord("0"), check]))


def usccs(district_codes: np.ndarray, org: np.ndarray) -> pa.Array:
    """GB 32100 codes: 9 (registered by market regulation) 1 (company), the
    6-digit district, a 9-char organisation code (`org`, (n, 9) charset indices)."""
    n = len(district_codes)
    head = np.hstack([np.full((n, 1), 9), np.full((n, 1), 1),
                      np.array([[int(c) for c in code] for code in district_codes])])
    first17 = np.hstack([head, org])
    charset = np.frombuffer(USCC_CHARSET.encode("ascii"), dtype=np.uint8)
    check = uscc_check_char(first17).astype("S1").view(np.uint8)[:, None]
    return fixed_strings(np.hstack([charset[first17], check]))


SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红辉建国文宇浩然子涵欣怡梓轩博雨晨思远佳琪嘉鑫晓东海燕雪梅志鹏俊凯宁婷琳波斌倩颖鹏飞楠璐昊天")


def names(rng: np.random.Generator, n: int) -> pa.Array:
    """Chinese names: a surname and one or two given characters."""
    s = pick(SURNAMES, rng.integers(0, len(SURNAMES), n))
    g1 = pick(GIVEN, rng.integers(0, len(GIVEN), n))
    g2 = pick([""] + GIVEN, np.where(rng.random(n) < 0.75, rng.integers(1, len(GIVEN) + 1, n), 0))
    return join(s, g1, g2)
