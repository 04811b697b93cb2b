import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Controller, Get, Header, Inject, Injectable, Param, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth-context.js';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { CertificateAuthority } from './certificate-authority.js';
import type { CrlSource } from '../report.js';
import { SignatureErrors } from '../signatures.errors.js';

/** The demo CA (SEED_DEMO with the default key and trust folders) keeps its key here. */
export const DEMO_CA_NAME = 'motcua-demo-ca';
export const demoCaFile = (config: AppConfig) => path.join(config.dataDir, 'demo-ca', 'ca.json');
/** Where a CRL this service publishes is found: its certificates name this URL. */
export const publishedCrlUrl = (config: AppConfig, name: string) => `${config.publicBaseUrl}/api/v1/public/crls/${name}.crl`;

const CRL_PATH = /\/api\/v1\/public\/crls\/([a-z0-9-]{1,64})\.crl$/;
const REISSUE_MS = 6 * 3600 * 1000;

/**
 * CRLs this service issues itself: only the demo CA's (the demo leaders' signing certificates
 * name it). Served publicly, like any CA's CRL, and answered in-process when the verifier asks
 * for it, so the demo verifies without reaching its own HTTP address.
 */
@Injectable()
export class PublishedCrls {
  private cached = new Map<string, { der: Uint8Array; at: number }>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The CRL called `name`, or null when this service issues none by that name. */
  async crl(name: string): Promise<Uint8Array | null> {
    if (name !== DEMO_CA_NAME) return null;
    const now = this.clock.now().getTime();
    const hit = this.cached.get(name);
    if (hit && now - hit.at < REISSUE_MS) return hit.der;
    let saved: { keyPem: string; certificatePem: string };
    try {
      saved = JSON.parse(await readFile(demoCaFile(this.config), 'utf8'));
    } catch {
      return null;
    }
    // Nothing is revoked in the demo; issued a minute back to absorb clock skew.
    const der = await CertificateAuthority.restore(saved).crl([], new Date(now - 60_000));
    this.cached.set(name, { der, at: now });
    return der;
  }

  /** A CRL source that answers this service's own CRLs in-process and asks `next` for the others. */
  source(next: CrlSource): CrlSource {
    return {
      fetch: async (url, at) => {
        const name = CRL_PATH.exec(safePath(url))?.[1];
        const own = name ? await this.crl(name) : null;
        return own ?? next.fetch(url, at);
      },
    };
  }
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

@ApiTags('signatures')
@Controller('public/crls')
export class PublishedCrlsController {
  constructor(@Inject(PublishedCrls) private readonly crls: PublishedCrls) {}

  @Get(':file')
  @Public()
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({
    operationId: 'getPublishedCrl',
    summary: 'Danh sách chứng thư bị thu hồi / A CRL this service issues (the demo CA’s)',
    description: 'e.g. motcua-demo-ca.crl',
  })
  @ApiProduces('application/pkix-crl')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 404, description: 'CRL_NOT_FOUND' })
  async crl(@Param('file') file: string): Promise<StreamableFile> {
    const name = /^([a-z0-9-]{1,64})\.crl$/.exec(file)?.[1];
    const der = name ? await this.crls.crl(name) : null;
    if (!der) throw SignatureErrors.CRL_NOT_FOUND();
    return new StreamableFile(Buffer.from(der), { type: 'application/pkix-crl' });
  }
}
