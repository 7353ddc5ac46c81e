"""Publishing targets: sites babelwire pushes its translations into (WordPress, over its REST
API), kept in step with the store by ``babelwire.targets.sync``."""
