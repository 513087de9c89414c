"""What the backup tests share: the files under a folder, read to compare two trees."""

from pathlib import Path


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by its path relative to it, with its content."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
