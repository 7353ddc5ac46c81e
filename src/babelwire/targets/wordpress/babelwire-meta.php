<?php
/*
 * Plugin Name: babelwire post meta
 * Description: Lets babelwire store each translation's attribution (original URL, site, author,
 *   source language, engine) as post meta through the REST API. Copy this file into
 *   wp-content/mu-plugins/. Without it WordPress silently drops the meta; the attribution and
 *   the machine-translation notice are still inside each post's content.
 */
add_action('init', function () {
    $keys = ['babelwire_key', 'babelwire_original_url', 'babelwire_site', 'babelwire_author',
             'babelwire_source_lang', 'babelwire_lang', 'babelwire_engine'];
    foreach ($keys as $key) {
        register_post_meta('post', $key, [
            'type' => 'string',
            'single' => true,
            'show_in_rest' => true,
            'auth_callback' => function () { return current_user_can('edit_posts'); },
        ]);
    }
});
