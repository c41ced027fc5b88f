import { AwsHttpError } from '../../core/errors.ts';

/**
 * The Invoke APIs' faults (reference §5.3): Lambda's front end answers `{"Type":"User","message":...}`
 * with the type again in `x-amzn-ErrorType`, which the SDK turns into its typed exception. Faults the
 * runtime itself raises (throttling, too large, unknown function, unparseable event) are its classes,
 * re-exported so this catalogue is complete in one place.
 */
export {
  InvalidRequestContentException,
  RequestTooLargeException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '../lambda-runtime/errors.ts';

/** A header or query value Lambda does not accept (invocation type, log type, a qualifier that disagrees with the ARN's). */
export class InvalidParameterValueException extends AwsHttpError {
  constructor(message: string) {
    super('InvalidParameterValueException', 400, JSON.stringify({ Type: 'User', message }), [['x-amzn-ErrorType', 'InvalidParameterValueException']]);
  }
}

/** [choice] A path or method the emulator does not serve: it answers only the two invoke operations. */
export class UnknownOperationException extends AwsHttpError {
  constructor(method: string, path: string) {
    super('UnknownOperationException', 404, JSON.stringify({ Type: 'User', message: `No Lambda operation at ${method} ${path}. The emulator serves Invoke and InvokeWithResponseStream.` }), [['x-amzn-ErrorType', 'UnknownOperationException']]);
  }
}
