"""Check characters of Chinese identifiers, vectorized over numpy arrays.

GB 11643-1999 (resident ID number) and GB 32100-2015 (unified social credit
code). The SQL twins used by the schema check are in `jflh.schema_check`.
"""

from __future__ import annotations

import numpy as np

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK = np.array(list("10X98765432"))

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])


def id_check_char(first17: np.ndarray) -> np.ndarray:
    """GB 11643 check character for an (n, 17) array of digits 0-9."""
    return ID_CHECK[(first17 * ID_WEIGHTS).sum(axis=1) % 11]


def uscc_check_char(first17: np.ndarray) -> np.ndarray:
    """GB 32100 check character for an (n, 17) array of charset indices 0-30."""
    value = (31 - (first17 * USCC_WEIGHTS).sum(axis=1) % 31) % 31
    return np.array(list(USCC_CHARSET))[value]


def id_is_valid(id_number: str) -> bool:
    """True when an 18-char ID number has the right GB 11643 check character."""
    if len(id_number) != 18 or not id_number[:17].isdigit():
        return False
    digits = np.array([[int(ch) for ch in id_number[:17]]])
    return bool(id_check_char(digits)[0] == id_number[17])


def uscc_is_valid(code: str) -> bool:
    """True when an 18-char USCC has the right GB 32100 check character."""
    if len(code) != 18 or any(ch not in USCC_CHARSET for ch in code):
        return False
    indices = np.array([[USCC_CHARSET.index(ch) for ch in code[:17]]])
    return bool(uscc_check_char(indices)[0] == code[17])
