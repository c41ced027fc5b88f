import { AwsHttpError } from '../../core/errors.ts';

/**
 * Bedrock runtime's faults as the SDK parses them (restJson1): `x-amzn-errortype` names the class,
 * the body carries `message`. Statuses from the reference's table (4.7).
 */
export class BedrockError extends AwsHttpError {
  constructor(errorType: string, status: number, message: string) {
    super(errorType, status, JSON.stringify({ message }), [['x-amzn-errortype', errorType]], message);
  }
}

export class ValidationException extends BedrockError {
  constructor(message: string) {
    super('ValidationException', 400, message);
  }
}

export class ResourceNotFoundException extends BedrockError {
  constructor(message: string) {
    super('ResourceNotFoundException', 404, message);
  }
}

/** Bedrock's wording when the path's model id is not one it can resolve [O]. */
export const INVALID_MODEL_ID = 'The provided model identifier is invalid.';
/** Bedrock's wording when a conversation does not open with the user [O]. */
export const FIRST_MESSAGE_NOT_USER = 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
