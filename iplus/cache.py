"""The file cache the site falls back on when no REDIS_URL is set (every worker of one machine shares it).

Django's FileBasedCache lists its whole directory on every write to decide whether to cull, and
compresses every value at zlib's default level. With a page cache writing a page per new URL, both
showed in profiles (≈ 2 ms and ≈ 0.5 ms a write at a few hundred entries). This one counts its files on
one write in ``CULL_EVERY`` (so the directory may exceed MAX_ENTRIES by that many writes a process
between counts) and compresses at level 1 (what it reads back is the same: zlib reads any level).
"""

import pickle
import zlib

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    cull_every = 64

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes = 0

    def _cull(self):
        self._writes += 1
        if self._writes % self.cull_every == 1:
            super()._cull()

    def _write_content(self, file, timeout, value):
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), 1))
