/** One Markdown handout per student, in Spanish and English: URLs, stats login, the seed's exercises. */
import type { Student } from "./roster";

export interface HandoutData {
  readonly student: Student;
  readonly stack: string;
  readonly outputs: Readonly<Record<string, unknown>>;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : value === undefined ? "(not deployed yet)" : JSON.stringify(value);
}

export function handoutMarkdown({ student, stack, outputs }: HandoutData): string {
  const base = text(outputs.frontendUrl).replace(/\/+$/, "");
  const stats = text(outputs.statsUrl);
  const user = text(outputs.statsUser);
  const password = text(outputs.statsPassword);
  return `# Laboratorio HAProxy / HAProxy lab — ${student.name}

Stack: \`${stack}\` · ${student.email}

| | |
|---|---|
| Frontend | ${base}/ |
| Estadísticas / Stats | ${stats} |
| Usuario / User | \`${user}\` |
| Contraseña / Password | \`${password}\` |

## Español

1. **Balanceo.** Ejecute varias veces \`curl ${base}/prueba.php\` (o pulse F5 en el navegador): las
   respuestas alternan entre backend1 y backend2 según sus pesos (60/45). \`X-Forwarded-for\` es su IP.
2. **Failover.** Pida a su docente que detenga Apache en un backend (o, en el laboratorio local,
   \`npm run lab -- stop backend1\`): las peticiones siguen funcionando y en ${stats} el backend aparece en rojo.
3. **Sesiones.** \`curl -c cookies ${base}/sesiones.php\` y luego \`curl -b cookies ${base}/sesiones.php\`
   varias veces: la cookie \`PHPSESSID=A~…\` le mantiene en el mismo servidor y el contador de visitas sube.
4. **Keep-alive.** \`curl -vI ${base}/index.html ${base}/index.html\`: compare si la conexión se reutiliza.
5. **Estáticos.** Abra ${base}/static.html: la página viene de un backend web y \`logo-med.png\` del
   backend estático (mire la cabecera \`X-Lab-Host\` con \`curl -I ${base}/logo-med.png\`).

## English

1. **Balancing.** Run \`curl ${base}/prueba.php\` a few times (or press F5): answers alternate between
   backend1 and backend2 by their weights (60/45). \`X-Forwarded-for\` is your address.
2. **Failover.** Ask your teacher to stop Apache on one backend (locally: \`npm run lab -- stop backend1\`):
   requests keep working and ${stats} shows that backend in red.
3. **Sessions.** \`curl -c cookies ${base}/sesiones.php\`, then \`curl -b cookies ${base}/sesiones.php\`
   several times: the \`PHPSESSID=A~…\` cookie keeps you on one server and the visit counter rises.
4. **Keep-alive.** \`curl -vI ${base}/index.html ${base}/index.html\`: is the connection re-used?
5. **Static files.** Open ${base}/static.html: the page comes from a web backend, \`logo-med.png\` from the
   static backend (see the \`X-Lab-Host\` header: \`curl -I ${base}/logo-med.png\`).
`;
}
