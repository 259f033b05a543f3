"""The database: an index of users, projects and tasks, rebuildable from the project repositories."""
