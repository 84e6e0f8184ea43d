/** Small field builders the wire shapes share. */
import { Type } from 'typebox';

/** An optional, non-empty text parameter. */
export const optionalText = (maxLength: number, description: string) => Type.Optional(Type.String({ minLength: 1, maxLength, description }));

/** An optional instant, in ms since the epoch. */
export const optionalMs = (description: string) => Type.Optional(Type.Integer({ minimum: 0, description }));
