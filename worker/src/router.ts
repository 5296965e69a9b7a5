import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './env.ts';
import { validationError } from './errors.ts';

/** A sub-app whose zod validation failures become 400s naming the field (query.x, param.y, or the body path). */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target === 'json' ? [] : [result.target]);
    },
  });
}

/** The JSON error body every route may answer with. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
}).openapi('Error');

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });

export const errors = {
  400: errorResponse('The request is malformed; the error names the field'),
  401: errorResponse('Not signed in'),
  403: errorResponse('Signed in, but not allowed: wrong role, or another local or vote'),
  404: errorResponse('No such thing'),
  409: errorResponse('Conflicts with the current state'),
  429: errorResponse('Too many requests: see Retry-After'),
};

export const security: Array<Record<string, string[]>> = [{ session: [] }, { apiToken: [] }];
