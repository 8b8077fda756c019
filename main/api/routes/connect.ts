import { ConnectAccountBody, ConnectAccountResponse } from '../../../shared/api/connect.ts';
import { OutpostError } from '../../core/outpostError.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const errors = Object.fromEntries([400, 401, 403, 409, 502, 503].map((s) => [s, { $ref: 'ApiError#' }]));

/** Connecting an account from the UI: the core runs the loopback OAuth flow and returns the consent page to open. */
export function registerConnectRoutes(app: ApiServer, { connectAccount }: ApiDeps): void {
  app.post(
    '/v1/accounts/connect',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Start connecting a Google or Microsoft account (admin)',
        body: ConnectAccountBody,
        response: { 200: ConnectAccountResponse, ...errors },
      },
    },
    async (request) => {
      if (!connectAccount) throw new OutpostError('service_unavailable', 'this server cannot connect accounts');
      const { authorizationUrl } = await connectAccount(request.body.provider);
      return { data: { authorization_url: authorizationUrl } };
    },
  );
}
