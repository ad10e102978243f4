<?php
// haproxy-lab: the seed's balancing probe (prueba.php), for PHP 8.
// "Server IP" is the backend that answered, "Client IP" who connected to it (HAProxy), and
// "X-Forwarded-for" the original client, added by `option forwardfor`. Empty when absent, never a warning.
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
header('Cache-Control: no-store');
header('X-Content-Type-Options: nosniff');

echo "Server IP: " . lab_server_value('SERVER_ADDR');
echo "\nClient IP: " . lab_server_value('REMOTE_ADDR');
echo "\nX-Forwarded-for: " . lab_server_value('HTTP_X_FORWARDED_FOR');
echo "\nServer name: " . lab_host_name() . "\n";
