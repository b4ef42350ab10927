"""Replace an output folder with a new set of files, all or nothing, even if the process is killed."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Mapping

from january20.errors import January20Error, Problem
from january20.outputs import OutputFiles, size_of


def write_atomically(files: Mapping[str, bytes], out_dir: Path) -> None:
    """Make ``out_dir`` hold exactly ``files`` (relative paths, subfolders allowed), all or nothing.

    Every file is written into a new folder beside ``out_dir`` (or hard-linked there from the previous output,
    where that already holds it as it would be written) and made durable, all at once (:func:`_sync_filesystem`);
    the two folders are then swapped in one atomic rename (Linux ``renameat2(RENAME_EXCHANGE)``), and the old one
    is deleted. At every instant ``out_dir`` is either the whole previous output or the whole new one, so a build
    that fails or is killed (even with ``kill -9``) leaves the previous output byte for byte; files no longer
    produced (a renamed event, a vanished resource's pages) disappear with the swap, since nothing of the previous
    folder is kept. A folder that already holds exactly ``files`` (a rebuild that changed nothing) is left as it
    is, and only synced.
    Leftovers of a killed build (hidden ``.<name>.january20-*`` folders beside ``out_dir``) are removed by the next
    build. Where the swap is not supported, two renames are used and the window between them is a few microseconds.

    Raises January20Error if ``out_dir`` is a file, or a non-empty folder that is not a previous build (so that
    ``--out .`` can never delete a project), or cannot be written.
    """
    out_dir = _absolute(out_dir)
    _check_replaceable(out_dir, files)
    for name in files:
        if not name or name.startswith("/") or ".." in name.split("/"):
            raise ValueError(f"output names must be relative paths inside the output folder, got {name!r}")
    prefix = f".{out_dir.name}.january20-"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out_dir, prefix)
        if _holds_exactly(out_dir, files):
            _sync_filesystem(out_dir)  # as a new output would be: durable before this returns
            return
        staging = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=out_dir.parent))
    except OSError as exc:
        raise January20Error(Problem(str(out_dir), f"cannot write the output: {exc.strerror}")) from None
    try:
        _write_files(files, staging, out_dir if out_dir.is_dir() else None)
        # One syncfs makes the files and their folders' entries durable: it commits the filesystem's journal. An
        # fsync per folder after it would only ask the disk to flush its cache again, once per folder (12,000
        # flushes, 17 s, for a corpus of 100 sources).
        _sync_filesystem(staging)
        os.chmod(staging, _folder_mode(out_dir))
        _pause_for_tests(out_dir)
        if out_dir.exists():
            _swap(staging, out_dir)  # staging now holds the previous output, deleted below
        else:
            os.rename(staging, out_dir)
        _fsync_dir(out_dir.parent)
    except OSError as exc:
        raise January20Error(Problem(str(out_dir), f"cannot write the output: {exc.strerror or exc}")) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _absolute(out_dir: Path) -> Path:
    """The folder a build replaces: ``out_dir`` made absolute, and if it is a symbolic link, what it points to."""
    out_dir = Path(os.path.abspath(out_dir))
    return out_dir.resolve() if out_dir.is_symlink() else out_dir


# Never replace a folder holding one of these: it is a project or a checkout, not an output.
_PROJECT_MARKERS = (".git", "pyproject.toml", "setup.py", ".hg")


def _check_replaceable(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """The whole folder is replaced, so it must be new, empty, or an earlier output: one with, at its top level, a
    file of the same name as one being written. A project (``--out .`` in a checkout), a home folder, and the
    current folder or any folder containing it are refused, untouched."""
    if out_dir.exists() and not out_dir.is_dir():
        raise January20Error(Problem(str(out_dir), "is a file; --out must name a folder"))
    if not out_dir.is_dir():
        return
    try:
        here = Path.cwd().resolve()
    except OSError:  # the current folder was deleted under us; it cannot be inside out_dir then
        here = Path("/nonexistent")
    if here.is_relative_to(out_dir.resolve()) or out_dir.resolve() == Path.home().resolve():
        raise January20Error(Problem(str(out_dir), "refusing to replace the current folder, a folder containing "
                                     "it, or the home folder: the whole output folder is replaced; choose another"))
    found = [marker for marker in _PROJECT_MARKERS if (out_dir / marker).exists()]
    top_level = {name for name in files if "/" not in name}
    if found or (any(out_dir.iterdir()) and not any((out_dir / name).is_file() for name in top_level)):
        why = f"it holds {found[0]}, so it is a project" if found else "it is not empty and holds no previous " \
              "output (none of the files this writes)"
        raise January20Error(Problem(str(out_dir), f"refusing to replace this folder: {why}; the whole output "
                                     "folder is replaced, so choose a new or empty one"))


def _remove_leftovers(out_dir: Path, prefix: str) -> None:
    """Delete what killed builds left behind, but never the folder of a build that is still running. A previous
    output set aside by the two-rename fallback, with no output in its place, is put back first."""
    for leftover in sorted(out_dir.parent.glob(prefix + "*")):
        pid = leftover.name[len(prefix):].split("-", 1)[0]
        if not leftover.is_dir() or not pid.isdigit() or _running(int(pid)):
            continue
        if leftover.name.endswith("-previous") and not out_dir.exists():
            os.rename(leftover, out_dir)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _folder_mode(out_dir: Path) -> int:
    if out_dir.is_dir():
        return stat.S_IMODE(out_dir.stat().st_mode)
    return 0o777 & ~_umask()


def _holds_exactly(out_dir: Path, files: Mapping[str, bytes]) -> bool:
    """Whether ``out_dir`` is already what writing ``files`` would make: those files and no other, each a regular
    file with those bytes and the mode a new file gets, in exactly the folders they need, each with a new folder's
    mode, and of this user. Reading is far cheaper than creating, syncing and deleting a file; it stops at the
    first difference."""
    if not out_dir.is_dir():
        return False
    file_mode, folder_mode, owner = 0o666 & ~_umask(), 0o777 & ~_umask(), os.geteuid()
    needed = {folder for name in files if "/" in name for folder in _ancestors(name.rsplit("/", 1)[0])}
    root = os.fspath(out_dir)
    seen_files: list[str] = []
    seen_folders: set[str] = set()
    todo = [""]
    while todo:
        folder = todo.pop()
        with os.scandir(os.path.join(root, folder)) as entries:
            for entry in entries:
                name = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    if name not in needed or stat.S_IMODE(info.st_mode) != folder_mode or info.st_uid != owner:
                        return False
                    seen_folders.add(name)
                    todo.append(name)
                elif entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    if (name not in files or info.st_size != size_of(files, name)
                            or stat.S_IMODE(info.st_mode) != file_mode
                            or info.st_uid != owner or info.st_nlink != 1):
                        return False
                    seen_files.append(name)
                else:
                    return False
    if len(seen_files) != len(files) or seen_folders != needed:
        return False
    return all(_holds(os.path.join(root, name), files, name) for name in sorted(seen_files))


def _ancestors(folder: str) -> list[str]:
    """'a/b/c' -> ['a', 'a/b', 'a/b/c']."""
    parts = folder.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _write_files(files: Mapping[str, bytes], staging: Path, previous: Path | None = None) -> None:
    """Write every file under ``staging`` (not yet durable).

    A file that ``previous`` (the output being replaced) already holds exactly as a new one would be (same bytes,
    mode and owner, and no other name) is hard-linked from there instead: no data to write or sync, and deleting
    the previous output afterwards frees nothing for it. Creating and deleting files is what a rebuild spends its
    time on (deleting the seed's 1,449 synced files took 3 s on a busy disk; linking them, a tenth of a second).
    A file already spooled (:class:`OutputFiles`) is hard-linked from the spool, or copied where it cannot be.
    The previous output is only read: a build killed at any moment leaves it as it was.
    """
    root = os.fspath(staging)
    old_root = os.fspath(previous) if previous is not None else None
    file_mode, owner = 0o666 & ~_umask(), os.geteuid()
    made = {root}
    for name in sorted(files):
        target = os.path.join(root, name)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        if old_root is not None and _same_file(os.path.join(old_root, name), files, name, file_mode, owner):
            try:
                os.link(os.path.join(old_root, name), target)
                continue
            except OSError:  # another filesystem, or one without hard links: write it
                pass
        spooled = files.spooled(name) if isinstance(files, OutputFiles) else None
        if spooled is not None:
            try:
                os.link(spooled.path, target)
            except OSError:
                shutil.copyfile(spooled.path, target)
            os.chmod(target, file_mode)  # as a file made here would be, whatever the spool's was made with
            continue
        with open(target, "wb") as fh:
            fh.write(files[name])


def _same_file(path: str, files: Mapping[str, bytes], name: str, mode: int, owner: int) -> bool:
    """Whether ``path`` is a regular file, with no other name, of this mode and owner, holding exactly
    ``files[name]``."""
    try:
        info = os.lstat(path)
        if not (stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and info.st_size == size_of(files, name)
                and stat.S_IMODE(info.st_mode) == mode and info.st_uid == owner):
            return False
        return _holds(path, files, name)
    except OSError:
        return False


def _holds(path: str, files: Mapping[str, bytes], name: str) -> bool:
    """Whether the file at ``path`` holds exactly ``files[name]``; a spooled file is compared a block at a time."""
    spooled = files.spooled(name) if isinstance(files, OutputFiles) else None
    if spooled is None:
        with open(path, "rb") as fh:
            return fh.read() == files[name]
    with open(path, "rb") as ours, open(spooled.path, "rb") as theirs:
        while True:
            block = ours.read(1 << 20)
            if block != theirs.read(1 << 20):
                return False
            if not block:
                return True


def _sync_filesystem(folder: Path) -> None:
    """Make everything written on ``folder``'s filesystem durable, in one ``syncfs(2)``.

    One fsync per file costs a journal commit each (0.7 s for the seed's 1,449 files, minutes for a large corpus);
    syncfs writes the same data and metadata out in one pass. It also flushes what other programs wrote to that
    filesystem, which costs nothing extra when the machine is idle. Where syncfs is missing, ``sync()`` does the
    same for every filesystem.
    """
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        os.sync()
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        failed = syncfs(fd) != 0
        err = ctypes.get_errno() if failed else 0
    finally:
        os.close(fd)
    if err == errno.ENOSYS:  # a kernel or sandbox without the call
        os.sync()
    elif failed:
        raise OSError(err, os.strerror(err), str(folder))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap(a: Path, b: Path) -> None:
    """Exchange two folders atomically; fall back to two renames where the kernel or filesystem cannot.

    Between the fallback's renames ``b`` does not exist and its previous content is at ``<a>-previous``; a build
    killed there has it put back by the next one (:func:`_remove_leftovers`)."""
    if _exchange(a, b):
        return
    aside = a.with_name(a.name + "-previous")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one ``renameat2(RENAME_EXCHANGE)``; False if the kernel or filesystem does not offer it."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        raise OSError(err, os.strerror(err), str(b))
    return False


def _pause_for_tests(out_dir: Path) -> None:
    # Test hook (tests/test_atomic_build.py): hold still with the new output complete and the old one untouched, so
    # a test can kill -9 the build at the riskiest moment. Unset in normal use; it only ever sleeps.
    seconds = os.environ.get("J20_TEST_PAUSE_BEFORE_REPLACE")
    if seconds:
        print(f"january20: paused before replacing {out_dir}", file=sys.stderr, flush=True)
        time.sleep(float(seconds))
