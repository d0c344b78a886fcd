import pytest

from inquiries.tests.processes import RedisServer


@pytest.fixture
def private_redis(tmp_path):
    """A ``redis-server`` of this test's own, so stopping or pausing it disturbs no other."""
    server = RedisServer(tmp_path)
    yield server
    server.stop()
