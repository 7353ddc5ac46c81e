<?php
// Router of PHP's built-in server for Debian's WordPress (tests/services_wordpress.py).
// Static files come from /usr/share/wordpress (the document root) or from the test's own
// wp-content; everything else runs the PHP file asked for, else index.php (pretty permalinks,
// /wp-json/ routes). The config name picks /etc/wordpress/config-NAME.php (Debian's wp-config.php).
$root = '/usr/share/wordpress';
$content = getenv('BABELWIRE_WP_CONTENT');
$_SERVER['WORDPRESS_CONFIG'] = getenv('BABELWIRE_WP_CONFIG');
$path = urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
$types = ['css' => 'text/css', 'js' => 'application/javascript', 'png' => 'image/png',
          'jpg' => 'image/jpeg', 'jpeg' => 'image/jpeg', 'gif' => 'image/gif', 'webp' => 'image/webp',
          'svg' => 'image/svg+xml', 'woff2' => 'font/woff2', 'woff' => 'font/woff', 'json' => 'application/json'];
if (str_starts_with($path, '/wp-content/') && !str_contains($path, '..')) {
    $file = $content . substr($path, strlen('/wp-content'));
    if (is_file($file) && !str_ends_with($file, '.php')) {
        $ext = strtolower(pathinfo($file, PATHINFO_EXTENSION));
        header('Content-Type: ' . ($types[$ext] ?? 'application/octet-stream'));
        header('Content-Length: ' . filesize($file));
        readfile($file);
        return true;
    }
}
$file = $root . $path;
if (is_file($file) && !str_ends_with($file, '.php')) {
    return false;
}
if (is_dir($file) && is_file(rtrim($file, '/') . '/index.php')) {
    $file = rtrim($file, '/') . '/index.php';
}
if (!is_file($file) || str_contains($path, '..')) {
    $file = $root . '/index.php';
}
$_SERVER['SCRIPT_FILENAME'] = $file;
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = substr($file, strlen($root));
chdir(dirname($file));
require $file;
