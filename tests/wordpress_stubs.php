<?php
// The few WordPress functions the esa-publish embed plugin calls, enough to run its shortcodes
// outside WordPress (tests/test_embeds.py). Escaping follows WordPress's documented behaviour
// for these inputs: esc_attr and esc_url HTML-escape; esc_url keeps only http(s) addresses.
define('ABSPATH', __DIR__);
$GLOBALS['wp_shortcodes'] = array();
$GLOBALS['wp_options'] = array();
function add_shortcode($tag, $callback) { $GLOBALS['wp_shortcodes'][$tag] = $callback; }
function shortcode_atts($defaults, $atts, $shortcode = '') {
    $atts = (array) $atts;
    $out = array();
    foreach ($defaults as $name => $default) {
        $out[$name] = array_key_exists($name, $atts) ? $atts[$name] : $default;
    }
    return $out;
}
function esc_attr($text) { return htmlspecialchars((string) $text, ENT_QUOTES, 'UTF-8'); }
function esc_url($url) {
    if (!preg_match('#^https?://#i', $url)) { return ''; }
    return htmlspecialchars($url, ENT_QUOTES, 'UTF-8');
}
function get_option($name, $default = false) {
    return array_key_exists($name, $GLOBALS['wp_options']) ? $GLOBALS['wp_options'][$name] : $default;
}
function add_action($hook, $callback) {}
function register_setting() {}
function add_settings_error() {}
