import { type Static, Type } from 'typebox';

export const EmailImportResponse = Type.Object(
  {
    data: Type.Object({
      message_id: Type.String({ description: 'msg_<n>' }),
      thread_id: Type.String({ description: 'thr_<n>' }),
    }),
  },
  { description: 'The imported message and its thread' },
);
export type EmailImportResponseBody = Static<typeof EmailImportResponse>;
