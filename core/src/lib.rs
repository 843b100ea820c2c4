//! gearman-core: the PHP-free heart of gearman-rs.
