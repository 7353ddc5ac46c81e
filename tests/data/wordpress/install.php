<?php
// Installs the test WordPress and makes the publishing user (an Editor) and its application
// password; prints them as JSON. Run by tests/services_wordpress.py with php-cli:
//   php install.php HOST CONFIG_NAME
$_SERVER['HTTP_HOST'] = $argv[1];
$_SERVER['WORDPRESS_CONFIG'] = $argv[2];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/user.php';
$admin_password = wp_generate_password(24, false);
wp_install('babelwire test site', 'admin', 'admin@example.org', true, '', $admin_password);
update_option('permalink_structure', '/%year%/%monthnum%/%postname%/');
$user_id = wp_insert_user(['user_login' => 'babelwire', 'user_pass' => wp_generate_password(24),
                           'user_email' => 'babelwire@example.org', 'role' => 'editor']);
if (is_wp_error($user_id)) { fwrite(STDERR, $user_id->get_error_message()); exit(1); }
$made = WP_Application_Passwords::create_new_application_password($user_id, ['name' => 'babelwire']);
if (is_wp_error($made)) { fwrite(STDERR, $made->get_error_message()); exit(1); }
echo json_encode(['user' => 'babelwire', 'app_password' => $made[0],
                  'admin' => 'admin', 'admin_password' => $admin_password]);
