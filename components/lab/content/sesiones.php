<?php
// haproxy-lab: the seed's session probe (sesiones.php), for PHP 8.
// The first visit starts a PHP session (Set-Cookie: PHPSESSID, which HAProxy prefixes or pairs
// with its own cookie); replaying the cookie lands on the same server and the counter grows.
declare(strict_types=1);

function lab_server_value(string $key): string
{
    $value = $_SERVER[$key] ?? '';
    return is_string($value) ? $value : '';
}

function lab_host_name(): string
{
    // SetEnv LAB_HOST_NAME in haproxy-lab.conf names the host; the system name is only a fallback.
    $name = lab_server_value('LAB_HOST_NAME');
    if ($name === '') {
        $name = (string) getenv('LAB_HOST_NAME');
    }
    return $name !== '' ? $name : (string) gethostname();
}

header('Content-Type: text/plain; charset=UTF-8');
header('X-Content-Type-Options: nosniff');
session_start();

$visits = $_SESSION['visit'] ?? null;
if (!is_int($visits)) {
    echo "Esta es la primera vez que se visita este servidor";
    $visits = 0;
} else {
    echo "El numero de visitas es : " . $visits;
}
$_SESSION['visit'] = $visits + 1;

echo "\nServer IP: " . lab_server_value('SERVER_ADDR');
echo "\nClient IP: " . lab_server_value('REMOTE_ADDR');
echo "\nX-Forwarded-for: " . lab_server_value('HTTP_X_FORWARDED_FOR');
echo "\nServer name: " . lab_host_name() . "\n";
print_r($_COOKIE);
