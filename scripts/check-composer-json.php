<?php
/**
 * Checks composer.json against what PIE (the PHP Installer for Extensions) accepts, rule by
 * rule as PIE's published schema (resources/composer-json-php-ext-schema.json in php/pie,
 * with `download-url-method` as a string or a list, PIE >= 1.3) and Composer's package-name
 * rule state them, plus what this project promises. Written out here rather than vendoring
 * the schema: no JSON-schema library is needed, and each rule says why it exists.
 *
 *   php scripts/check-composer-json.php composer.json [gearman.so]   errors, exit 1 if any
 *   php scripts/check-composer-json.php --self-test composer.json    broken variants must fail
 *
 * With a built extension, also checks that it registers the module `extension-name` names.
 */

const DOWNLOAD_METHODS = ['composer-default', 'pre-packaged-source', 'pre-packaged-binary'];
const OS_FAMILIES = ['windows', 'bsd', 'darwin', 'solaris', 'linux', 'unknown'];
const PHP_EXT_KEYS = ['extension-name', 'priority', 'support-zts', 'support-nts', 'build-path',
    'download-url-method', 'os-families', 'os-families-exclude', 'configure-options'];

/** PIE's and Composer's rules. @return list<string> */
function pie_errors(array $doc): array
{
    $e = [];
    // Composer: vendor/package, lower case.
    if (!is_string($doc['name'] ?? null)
        || !preg_match('#^[a-z0-9]([_.-]?[a-z0-9]+)*/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$#', $doc['name'])) {
        $e[] = 'name must be a Composer package name (vendor/package, lower case)';
    }
    // PIE: a PHP module is "php-ext" (a Zend extension would be "php-ext-zend").
    if (($doc['type'] ?? null) !== 'php-ext') {
        $e[] = 'type must be "php-ext"';
    }
    if (isset($doc['license']) && !is_string($doc['license']) && !is_array($doc['license'])) {
        $e[] = 'license must be a string or a list';
    }
    foreach (['require', 'conflict', 'provide', 'replace'] as $k) {
        if (isset($doc[$k]) && (!is_array($doc[$k]) || array_filter($doc[$k], fn($v) => !is_string($v)))) {
            $e[] = "$k must map package names to version constraints";
        }
    }
    $x = $doc['php-ext'] ?? null;
    if (!is_array($x) || array_is_list($x) && $x !== []) {
        return [...$e, 'php-ext must be an object'];
    }
    foreach (array_diff(array_keys($x), PHP_EXT_KEYS) as $k) {
        $e[] = "php-ext.$k is not a php-ext setting PIE knows (typo?)";
    }
    if (array_key_exists('extension-name', $x)) {
        $n = $x['extension-name'];
        // PIE's ExtensionName: a letter, then letters, digits, underscores; "ext-" is not part of it.
        if (!is_string($n) || str_starts_with($n, 'ext-') || !preg_match('/^[A-Za-z][a-zA-Z0-9_]+$/', $n)) {
            $e[] = 'php-ext.extension-name must be a valid extension name without the ext- prefix';
        }
    }
    if (array_key_exists('priority', $x) && (!is_int($x['priority']) || $x['priority'] < 10 || $x['priority'] > 99)) {
        $e[] = 'php-ext.priority must be an integer from 10 to 99';
    }
    foreach (['support-zts', 'support-nts'] as $k) {
        if (array_key_exists($k, $x) && !is_bool($x[$k])) {
            $e[] = "php-ext.$k must be a boolean";
        }
    }
    if (array_key_exists('build-path', $x) && !is_string($x['build-path']) && $x['build-path'] !== null) {
        $e[] = 'php-ext.build-path must be a string or null';
    }
    if (array_key_exists('download-url-method', $x)) {
        $m = $x['download-url-method'];
        $list = is_string($m) ? [$m] : $m;
        if (!is_array($list) || $list === [] || !array_is_list($list)
            || array_diff($list, DOWNLOAD_METHODS) || count(array_unique($list)) !== count($list)) {
            $e[] = 'php-ext.download-url-method must be one of, or a non-empty list of distinct, ' . implode(', ', DOWNLOAD_METHODS);
        }
    }
    foreach (['os-families', 'os-families-exclude'] as $k) {
        if (array_key_exists($k, $x)) {
            $v = $x[$k];
            if (!is_array($v) || $v === [] || !array_is_list($v) || array_filter($v, fn($f) => !in_array($f, OS_FAMILIES, true))) {
                $e[] = "php-ext.$k must be a non-empty list of " . implode(', ', OS_FAMILIES);
            }
        }
    }
    if (array_key_exists('os-families', $x) && array_key_exists('os-families-exclude', $x)) {
        $e[] = 'php-ext.os-families and php-ext.os-families-exclude must not both be set';
    }
    if (array_key_exists('configure-options', $x)) {
        $opts = $x['configure-options'];
        if (!is_array($opts) || !array_is_list($opts)) {
            $e[] = 'php-ext.configure-options must be a list';
        } else {
            foreach ($opts as $i => $o) {
                if (!is_array($o) || !is_string($o['name'] ?? null) || !preg_match('/^[a-zA-Z0-9][a-zA-Z0-9-_]*$/', $o['name'])
                    || (isset($o['needs-value']) && !is_bool($o['needs-value']))
                    || (isset($o['description']) && !is_string($o['description']))) {
                    $e[] = "php-ext.configure-options[$i] needs a valid name (and boolean needs-value, string description)";
                }
            }
        }
    }
    return $e;
}

/** What gearman-rs promises on top of PIE's rules. @return list<string> */
function project_errors(array $doc, ?string $so): array
{
    $e = [];
    $x = is_array($doc['php-ext'] ?? null) ? $doc['php-ext'] : [];
    if (($x['extension-name'] ?? null) !== 'gearman') {
        $e[] = 'php-ext.extension-name must be "gearman": the module name, so PIE builds, installs and enables gearman.so';
    }
    if (($x['support-zts'] ?? true) !== true || ($x['support-nts'] ?? true) !== true) {
        $e[] = 'gearman-rs supports ZTS and NTS builds';
    }
    if (($x['os-families'] ?? null) !== ['linux']) {
        $e[] = 'php-ext.os-families must be ["linux"] (the only platform built and tested)';
    }
    $m = (array)($x['download-url-method'] ?? []);
    if (($m[0] ?? null) !== 'pre-packaged-binary' || count(array_intersect(array_slice($m, 1), ['composer-default', 'pre-packaged-source'])) === 0) {
        $e[] = 'php-ext.download-url-method must try pre-packaged-binary first, then a source method';
    }
    if (!is_string($doc['require']['php'] ?? null)) {
        $e[] = 'require.php must state the supported PHP versions';
    }
    if ($so !== null) {
        $out = shell_exec(escapeshellarg(PHP_BINARY) . ' -n -d ' . escapeshellarg("extension=$so")
            . ' -r ' . escapeshellarg('echo json_encode(get_loaded_extensions());') . ' 2>&1');
        $loaded = json_decode((string)$out, true);
        if (!is_array($loaded) || !in_array($x['extension-name'] ?? '', $loaded, true)) {
            $e[] = "$so does not register the module named by php-ext.extension-name: " . trim((string)$out);
        }
    }
    return $e;
}

function errors(array $doc, ?string $so): array
{
    return [...pie_errors($doc), ...project_errors($doc, $so)];
}

$args = array_slice($argv, 1);
$selfTest = ($args[0] ?? '') === '--self-test';
if ($selfTest) {
    array_shift($args);
}
$file = $args[0] ?? 'composer.json';
$doc = json_decode((string)@file_get_contents($file), true);
if (!is_array($doc)) {
    fwrite(STDERR, "$file: not valid JSON (" . json_last_error_msg() . ")\n");
    exit(1);
}

if ($selfTest) {
    // Each variant breaks one rule; the checker must reject every one of them.
    $set = fn(array $d, string $k, $v) => (function () use ($d, $k, $v) { $d['php-ext'][$k] = $v; return $d; })();
    $variants = [
        'package name with upper case' => ['name' => 'Gearman-RS/Gearman'] + $doc,
        'type library' => ['type' => 'library'] + $doc,
        'ext- prefix' => $set($doc, 'extension-name', 'ext-gearman'),
        'hyphen in extension name' => $set($doc, 'extension-name', 'gearman-rs'),
        'priority 5' => $set($doc, 'priority', 5),
        'support-zts as string' => $set($doc, 'support-zts', 'yes'),
        'unknown download method' => $set($doc, 'download-url-method', ['github-release']),
        'empty download list' => $set($doc, 'download-url-method', []),
        'binary only, no source fallback' => $set($doc, 'download-url-method', ['pre-packaged-binary']),
        'source first' => $set($doc, 'download-url-method', ['composer-default', 'pre-packaged-binary']),
        'unknown os family' => $set($doc, 'os-families', ['linux', 'beos']),
        'os-families and exclude' => $set($doc, 'os-families-exclude', ['windows']),
        'misspelt key' => $set($doc, 'extension_name', 'gearman'),
        'bad configure option' => $set($doc, 'configure-options', [['name' => '--enable-x']]),
        'other extension name' => $set($doc, 'extension-name', 'gearman_rs'),
    ];
    $bad = 0;
    foreach ($variants as $what => $variant) {
        if (errors($variant, null) === []) {
            echo "not rejected: $what\n";
            $bad++;
        }
    }
    echo $bad === 0 ? 'self-test: all ' . count($variants) . " broken variants rejected\n" : "self-test: $bad variant(s) accepted\n";
    exit($bad === 0 ? 0 : 1);
}

$errors = errors($doc, $args[1] ?? null);
foreach ($errors as $err) {
    echo "$file: $err\n";
}
if ($errors === []) {
    echo "$file: valid for PIE (" . $doc['name'] . ', extension ' . $doc['php-ext']['extension-name'] . ")\n";
}
exit($errors === [] ? 0 : 1);
