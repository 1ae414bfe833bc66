"""The portal itself keeps no data of its own: every model belongs to an app of the domain."""
