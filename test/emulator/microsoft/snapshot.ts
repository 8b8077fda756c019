import type { GraphUser } from './graphContext.ts';

/** Per user: folders, messages (state a sync must mirror), calendars and events. */
export function snapshotOf(users: Map<string, GraphUser>) {
  return {
    users: [...users.values()].map(({ mailbox: mb, calendars: cal }) => ({
      upn: mb.upn,
      id: mb.userId,
      folders: [...mb.folders.values()].map((f) => ({
        id: f.id,
        displayName: f.displayName,
        wellKnownName: f.wellKnownName ?? null,
        parentFolderId: f.parentFolderId,
      })),
      messages: [...mb.messages.values()].map((m) => ({
        id: m.id,
        restId: m.restId,
        conversationId: m.conversationId,
        parentFolderId: m.parentFolderId,
        internetMessageId: m.summary.messageId,
        isRead: m.isRead,
        flagStatus: m.flagStatus,
        categories: m.categories,
      })),
      calendars: [...cal.calendars.values()].map((c) => ({ id: c.id, name: c.name, isDefaultCalendar: c.isDefaultCalendar })),
      events: [...cal.events.values()].map((e) => ({
        id: e.id,
        calendarId: e.calendarId,
        subject: e.data.subject,
        start: e.data.start,
        end: e.data.end,
        isAllDay: !!e.data.isAllDay,
        isCancelled: e.cancelled,
        recurrence: e.data.recurrence ?? null,
        seriesMasterId: e.data.seriesMasterId ?? null,
      })),
    })),
  };
}
