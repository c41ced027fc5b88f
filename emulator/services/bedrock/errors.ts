import { AwsHttpError } from '../../core/errors.ts';
import { encodeException } from './event-stream.ts';

/**
 * Bedrock runtime's faults as the SDK parses them (restJson1): `x-amzn-errortype` names the class,
 * the body carries `message`. Statuses from the reference's table (4.7). Only ThrottlingException's
 * default message comes from the reference [O]; the others are ours, since it gives no wording for them.
 */
export class BedrockError extends AwsHttpError {
  constructor(errorType: string, status: number, message: string, fields: Record<string, unknown> = {}) {
    super(errorType, status, JSON.stringify({ message, ...fields }), [['x-amzn-errortype', errorType]], message);
  }

  /**
   * The mid-stream form: an exception frame whose `:exception-type` is the lowerCamel union member
   * (4.6) of `operation`'s event stream.
   */
  renderStreamException(operation: StreamingOperation = 'ConverseStream'): Buffer {
    const member = STREAM_EXCEPTION_MEMBERS[operation][this.errorType];
    if (!member) throw new Error(`Failed to render ${this.errorType} in a stream: ${operation} has no such member.`);
    return encodeException(member, JSON.parse(this.body));
  }
}

export type StreamingOperation = 'ConverseStream' | 'InvokeModelWithResponseStream';

/** ConverseStream's modeled exceptions (4.4), keyed by the class the SDK raises for each. */
const CONVERSE_STREAM_MEMBERS: Readonly<Record<string, string>> = {
  ThrottlingException: 'throttlingException',
  ModelStreamErrorException: 'modelStreamErrorException',
  InternalServerException: 'internalServerException',
  ServiceUnavailableException: 'serviceUnavailableException',
  ValidationException: 'validationException',
};

/** InvokeModelWithResponseStream's union (4.5) has ModelTimeoutException too. */
const STREAM_EXCEPTION_MEMBERS: Readonly<Record<StreamingOperation, Readonly<Record<string, string>>>> = {
  ConverseStream: CONVERSE_STREAM_MEMBERS,
  InvokeModelWithResponseStream: { ...CONVERSE_STREAM_MEMBERS, ModelTimeoutException: 'modelTimeoutException' },
};

/**
 * True when `operation`'s event union has a member for this fault, so it can arrive mid-stream; without
 * an operation, when either streaming operation's union has one.
 */
export function hasStreamForm(errorType: string, operation?: string): boolean {
  const operations = operation === undefined ? (Object.keys(STREAM_EXCEPTION_MEMBERS) as StreamingOperation[]) : [operation];
  return operations.some((op) => Object.hasOwn(STREAM_EXCEPTION_MEMBERS, op) && Object.hasOwn(STREAM_EXCEPTION_MEMBERS[op as StreamingOperation], errorType));
}

/** Bedrock's wording for a body it cannot parse [O]. */
export const MALFORMED_INPUT = 'Malformed input request, please reformat your input and try again.';
/** Bedrock's wording when the path's model id is not one it can resolve [O]. */
export const INVALID_MODEL_ID = 'The provided model identifier is invalid.';
/** Bedrock's wording when a conversation does not open with the user [O]. */
export const FIRST_MESSAGE_NOT_USER = 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';

export class AccessDeniedException extends BedrockError {
  constructor(message = 'You don\'t have access to the model with the specified model ID.') {
    super('AccessDeniedException', 403, message);
  }
}

export class ValidationException extends BedrockError {
  constructor(message = MALFORMED_INPUT) {
    super('ValidationException', 400, message);
  }
}

/**
 * Bedrock's wording when a tokens-per-minute quota is exhausted [O] (seen in SDK errors:
 * https://github.com/anthropics/claude-code/issues/236,
 * https://github.com/aws-samples/amazon-bedrock-client-for-mac/issues/99); a request quota keeps the default.
 */
export const TOO_MANY_TOKENS = 'Too many tokens, please wait before trying again.';

export class ThrottlingException extends BedrockError {
  constructor(message = 'Too many requests, please wait before trying again.') {
    super('ThrottlingException', 429, message);
  }
}

export class ServiceQuotaExceededException extends BedrockError {
  constructor(message = 'Your request exceeds the service quota for your account.') {
    super('ServiceQuotaExceededException', 400, message);
  }
}

export class ResourceNotFoundException extends BedrockError {
  constructor(message = 'The specified resource could not be found.') {
    super('ResourceNotFoundException', 404, message);
  }
}

export class ModelTimeoutException extends BedrockError {
  constructor(message = 'The model took too long to process the request.') {
    super('ModelTimeoutException', 408, message);
  }
}

/** The SDK marks this one retryable; 429 is the reference's status. */
export class ModelNotReadyException extends BedrockError {
  constructor(message = 'The model is not ready to serve inference requests.') {
    super('ModelNotReadyException', 429, message);
  }
}

/** A model behind Bedrock failed: `originalStatusCode` is its status, `resourceName` names it (4.7). */
export class ModelErrorException extends BedrockError {
  constructor(message = 'The model failed to process the request.', fields: { originalStatusCode?: number; resourceName?: string } = {}) {
    super('ModelErrorException', 424, message, fields);
  }
}

export const MODEL_STREAM_ERROR = 'The model failed while streaming its response.';

/** Mid-stream only (4.7): the model failed after the stream had opened. */
export class ModelStreamErrorException extends BedrockError {
  constructor(message = MODEL_STREAM_ERROR, fields: { originalStatusCode?: number; originalMessage?: string } = {}) {
    super('ModelStreamErrorException', 424, message, fields);
  }
}

export class InternalServerException extends BedrockError {
  constructor(message = 'An internal server error occurred.') {
    super('InternalServerException', 500, message);
  }
}

export class ServiceUnavailableException extends BedrockError {
  constructor(message = 'The service is unavailable. Try your request again later.') {
    super('ServiceUnavailableException', 503, message);
  }
}

/** Every fault a `bedrock.faults` rule can name, by AWS's class name. */
export const INJECTABLE_ERRORS = {
  ThrottlingException,
  ModelTimeoutException,
  ServiceUnavailableException,
  ModelNotReadyException,
  ValidationException,
  AccessDeniedException,
  ResourceNotFoundException,
  InternalServerException,
  ModelErrorException,
  ServiceQuotaExceededException,
  ModelStreamErrorException,
} as const;

export type InjectableErrorName = keyof typeof INJECTABLE_ERRORS;
