import type { InvitationAnswer, RsvpAnswer } from '../accountProvider.ts';
import type { GraphClient } from './graphClient.ts';

/** Graph's action per answer (POST /me/events/{id}/<action>). */
const GRAPH_ACTIONS: Record<RsvpAnswer, string> = {
  accepted: 'accept',
  tentative: 'tentativelyAccept',
  declined: 'decline',
};

/** Answers an invitation in Outlook: accept, tentativelyAccept or decline, with a response to the organizer. */
export async function answerOnGraph(client: GraphClient, invitation: InvitationAnswer): Promise<void> {
  await client.request(`/me/events/${encodeURIComponent(invitation.eventRemoteId)}/${GRAPH_ACTIONS[invitation.answer]}`, {
    method: 'POST',
    body: { sendResponse: true },
  });
}
