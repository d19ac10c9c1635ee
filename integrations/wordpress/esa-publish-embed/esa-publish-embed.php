<?php
/**
 * Plugin Name: esa-publish embeds
 * Description: Shortcodes that show esa-publish pages (latest items, one category, one fiscal year's ITA page) in an iframe on the office's WordPress site.
 * Version: 1.0.0
 * Requires at least: 5.0
 * Requires PHP: 7.4
 * License: MIT
 * Text Domain: esa-publish-embed
 *
 * The embedded pages are plain HTML without scripts, served by esa-publish and allowed in a frame
 * only for the sites its administrator lists (Content-Security-Policy frame-ancestors). This
 * plugin only writes the <iframe>; it sends nothing anywhere and stores one option: the address
 * of the esa-publish installation.
 */

if (!defined('ABSPATH')) {
    exit;
}

const ESA_PUBLISH_EMBED_OPTION = 'esa_publish_embed_base_url';

/** The installation's address without a trailing slash, or '' when not set or not http(s). */
function esa_publish_embed_base_url() {
    $url = trim((string) get_option(ESA_PUBLISH_EMBED_OPTION, ''));
    if (!preg_match('~^https?://[^/\s?#]+$~i', rtrim($url, '/'))) {
        return '';
    }
    return rtrim($url, '/');
}

/** The <iframe> for one embed path, or an HTML comment saying what is missing. */
function esa_publish_embed_iframe($path, $query, $title, $height) {
    $base = esa_publish_embed_base_url();
    if ($base === '') {
        return '<!-- esa-publish embed: set the address under Settings → esa-publish embeds -->';
    }
    $src = $base . $path . ($query ? '?' . http_build_query($query) : '');
    $height = max(100, min(3000, (int) $height));
    return sprintf(
        '<iframe class="esa-publish-embed" src="%s" title="%s" width="100%%" height="%d" loading="lazy" referrerpolicy="strict-origin-when-cross-origin" sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" style="border:0;max-width:100%%"></iframe>',
        esc_url($src),
        esc_attr($title),
        $height
    );
}

/** [esa_publish_latest count="10" height="480"] */
function esa_publish_embed_latest($atts) {
    $atts = shortcode_atts(array('count' => 10, 'height' => 480, 'title' => 'ข้อมูลเผยแพร่ล่าสุด'), $atts, 'esa_publish_latest');
    $count = max(1, min(30, (int) $atts['count']));
    return esa_publish_embed_iframe('/embed/latest/', array('n' => $count), $atts['title'], $atts['height']);
}

/** [esa_publish_category slug="ข่าวประชาสัมพันธ์" count="10" height="480"] */
function esa_publish_embed_category($atts) {
    $atts = shortcode_atts(array('slug' => '', 'count' => 10, 'height' => 480, 'title' => 'ข้อมูลเผยแพร่'), $atts, 'esa_publish_category');
    $slug = trim((string) $atts['slug'], " /");
    if ($slug === '') {
        return '<!-- esa-publish embed: the category shortcode needs slug="…" -->';
    }
    $count = max(1, min(30, (int) $atts['count']));
    return esa_publish_embed_iframe('/embed/category/' . rawurlencode($slug) . '/', array('n' => $count), $atts['title'], $atts['height']);
}

/** [esa_publish_ita year="2569" height="1200"] (a B.E. fiscal year) */
function esa_publish_embed_ita($atts) {
    $atts = shortcode_atts(array('year' => '', 'height' => 1200, 'title' => 'การเปิดเผยข้อมูลสาธารณะ (OIT)'), $atts, 'esa_publish_ita');
    $year = (int) $atts['year'];
    if ($year < 2500 || $year > 2699) {
        return '<!-- esa-publish embed: the ITA shortcode needs year="25xx" (B.E.) -->';
    }
    return esa_publish_embed_iframe('/embed/ita/' . $year . '/', array(), $atts['title'], $atts['height']);
}

add_shortcode('esa_publish_latest', 'esa_publish_embed_latest');
add_shortcode('esa_publish_category', 'esa_publish_embed_category');
add_shortcode('esa_publish_ita', 'esa_publish_embed_ita');

/* --- the settings page: one field, the installation's address ------------------------------ */

function esa_publish_embed_sanitize($value) {
    $value = rtrim(trim((string) $value), '/');
    if ($value !== '' && !preg_match('~^https?://[^/\s?#]+$~i', $value)) {
        add_settings_error(ESA_PUBLISH_EMBED_OPTION, 'invalid', 'ใส่ที่อยู่ในรูปแบบ https://publish.example.go.th');
        return get_option(ESA_PUBLISH_EMBED_OPTION, '');
    }
    return $value;
}

function esa_publish_embed_register_settings() {
    register_setting('esa_publish_embed', ESA_PUBLISH_EMBED_OPTION, array(
        'type' => 'string',
        'sanitize_callback' => 'esa_publish_embed_sanitize',
        'default' => '',
    ));
}
add_action('admin_init', 'esa_publish_embed_register_settings');

function esa_publish_embed_settings_page() {
    if (!current_user_can('manage_options')) {
        return;
    }
    echo '<div class="wrap"><h1>esa-publish embeds</h1><form method="post" action="options.php">';
    settings_fields('esa_publish_embed');
    printf(
        '<p><label for="esa-publish-base">ที่อยู่ของระบบ esa-publish</label><br><input type="url" class="regular-text" id="esa-publish-base" name="%s" value="%s" placeholder="https://publish.example.go.th"></p>',
        esc_attr(ESA_PUBLISH_EMBED_OPTION),
        esc_attr(get_option(ESA_PUBLISH_EMBED_OPTION, ''))
    );
    echo '<p>ผู้ดูแลระบบ esa-publish ต้องใส่ที่อยู่เว็บไซต์นี้ในรายการ "เว็บไซต์ที่ฝังหน้าของระบบได้" ก่อน มิฉะนั้นเบราว์เซอร์จะไม่แสดงกรอบ</p>';
    submit_button();
    echo '</form></div>';
}

function esa_publish_embed_menu() {
    add_options_page('esa-publish embeds', 'esa-publish embeds', 'manage_options', 'esa-publish-embed', 'esa_publish_embed_settings_page');
}
add_action('admin_menu', 'esa_publish_embed_menu');
