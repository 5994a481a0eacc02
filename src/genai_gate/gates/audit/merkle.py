"""RFC 6962 / RFC 9162 Merkle tree over the record hashes: roots and inclusion proofs."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """MTH of one entry: sha256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Interior node: sha256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


class Frontier:
    """The perfect subtrees of a growing tree: O(log n) memory, amortised O(1) appends."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []
        self.size = 0

    def append(self, leaf: bytes) -> None:
        """Add the leaf hash of the next entry."""
        self._stack.append((1, leaf))
        self.size += 1
        while len(self._stack) > 1 and self._stack[-1][0] == self._stack[-2][0]:
            (size, right), (_, left) = self._stack.pop(), self._stack.pop()
            self._stack.append((2 * size, node_hash(left, right)))

    def copy(self) -> Frontier:
        """An independent copy."""
        other = Frontier()
        other._stack = list(self._stack)
        other.size = self.size
        return other

    def to_list(self) -> list[list[int | str]]:
        """The perfect subtrees as [leaf count, hex root] pairs, largest first."""
        return [[size, digest.hex()] for size, digest in self._stack]

    @classmethod
    def from_list(cls, pairs: list[list[int | str]]) -> Frontier:
        """The inverse of `to_list`; ValueError when the shape is not a frontier."""
        frontier = cls()
        for size, digest in pairs:
            if not isinstance(size, int) or size < 1 or size & (size - 1):
                raise ValueError(f"subtree size {size!r} is not a power of two")
            if frontier._stack and frontier._stack[-1][0] <= size:
                raise ValueError("subtree sizes must decrease")
            frontier._stack.append((size, bytes.fromhex(str(digest))))
            frontier.size += size
        return frontier

    def root(self) -> bytes:
        """Root of the tree of all entries so far."""
        if not self._stack:
            return EMPTY_ROOT
        root = self._stack[-1][1]
        for _, subtree in reversed(self._stack[:-1]):
            root = node_hash(subtree, root)
        return root


def root(leaves: Sequence[bytes]) -> bytes:
    """Merkle tree hash of a list of leaf hashes."""
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


def _split(size: int) -> int:
    """Largest power of two strictly smaller than `size` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def inclusion_path(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """Audit path of leaf `index` in the tree of `leaves` (RFC 6962 section 2.1.1)."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf {index} is not in a tree of {len(leaves)}")
    path: list[bytes] = []
    lo, hi = 0, len(leaves)
    while hi - lo > 1:
        k = _split(hi - lo)
        if index - lo < k:
            path.append(root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            path.append(root(leaves[lo : lo + k]))
            lo += k
    path.reverse()
    return path


def root_from_path(leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes | None:
    """Root implied by an inclusion path (RFC 9162 section 2.1.3.2), or None if malformed."""
    if not 0 <= index < size:
        return None
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return result if sn == 0 else None
