import { ConnectAccountBody, ConnectAccountResponse } from '../../../shared/api/connect.ts';
import { ApiError } from '../errors.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const errors = Object.fromEntries([400, 401, 403, 409, 502, 503].map((s) => [s, { $ref: 'ApiError#' }]));

/** Connecting an account from the UI: the core runs the loopback OAuth flow and returns the consent page to open. */
export function registerConnectRoutes(app: ApiServer, { connectAccount }: ApiDeps): void {
  app.post(
    '/v1/accounts/connect',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Start connecting a Google or Microsoft account (admin)',
        body: ConnectAccountBody,
        response: { 200: ConnectAccountResponse, ...errors },
      },
    },
    async (request) => {
      if (!connectAccount) throw new ApiError('service_unavailable', 'this server cannot connect accounts');
      try {
        const { authorizationUrl } = await connectAccount(request.body.provider);
        return { data: { authorization_url: authorizationUrl } };
      } catch (error) {
        const { code, message } = error as { code?: string; message: string };
        if (code === 'provider_not_configured') throw new ApiError('provider_not_configured', message);
        throw new ApiError('provider_error', message);
      }
    },
  );
}
