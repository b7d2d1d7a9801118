import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Header, Res } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

const here = path.dirname(fileURLToPath(import.meta.url));
/** services/console/public: the page and its style sheet. */
export const PUBLIC_DIR = path.resolve(here, '../../public');
/** dist/public/assets: the browser code tsc compiled from src/client. */
export const SCRIPTS_DIR = path.resolve(here, '../public/assets');

// The page runs only its own script and style; what it shows is put in as text, never as markup.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

interface Headers {
  setHeader(name: string, value: string): void;
}

/** The page's script and style under /assets, with the headers that keep the page to its own code. */
export function serveWebUi(app: INestApplication): void {
  const http = app as NestExpressApplication;
  http.use((_req: unknown, res: Headers, next: () => void) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  http.useStaticAssets(SCRIPTS_DIR, { prefix: '/assets/', index: false });
  http.useStaticAssets(path.join(PUBLIC_DIR, 'assets'), { prefix: '/assets/', index: false });
}

/** The one HTML document; the script behind it reads the console's /api routes with the operator's token. */
@Controller()
export class WebUiController {
  @Get()
  @Header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  @Header('Cache-Control', 'no-cache')
  page(@Res() res: { sendFile(file: string): void }): void {
    res.sendFile(path.join(PUBLIC_DIR, 'index.html'));
  }
}
