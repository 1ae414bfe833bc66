"""Moving the test database between migrations, for tests of data migrations."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def latest():
    """Return the newest migration of every app."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    """Migrate to `targets` and return the apps as they stand there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # the applied set changed since the executor was made
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
