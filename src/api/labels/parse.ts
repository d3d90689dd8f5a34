// labels.Parse: the label-selector string syntax ("a=b,c!=d,e in (f,g),!h,i") parsed into a
// Selector with Kubernetes' grammar and error messages.

import type { FieldPath } from '../field-errors.js';
import { LabelSelectorError } from './errors.js';
import { Lexer, Token } from './lexer.js';
import type { ScannedItem } from './lexer.js';
import type { Requirement } from './requirement.js';
import { BINARY_OPERATORS_TEXT, Operator, newRequirement, validateLabelKey } from './requirement.js';
import { Selector } from './selector.js';
import { compareGoStrings } from '../go-format.js';

enum Context {
  KeyAndOperator,
  Values,
}

class ParseError extends Error {}

class Parser {
  private readonly items: ScannedItem[] = [];
  private position = 0;

  constructor(input: string, private readonly path: FieldPath | undefined) {
    const lexer = new Lexer(input);
    for (;;) {
      const item = lexer.lex();
      this.items.push(item);
      if (item.tok === Token.EndOfString) break;
    }
  }

  private adjust(item: ScannedItem, ctx: Context): ScannedItem {
    if (ctx === Context.Values && (item.tok === Token.In || item.tok === Token.NotIn)) return { tok: Token.Identifier, literal: item.literal };
    return item;
  }

  private lookahead(ctx: Context): ScannedItem {
    return this.adjust(this.items[this.position]!, ctx);
  }

  private consume(ctx: Context): ScannedItem {
    return this.adjust(this.items[this.position++]!, ctx);
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, literal } = this.lookahead(Context.Values);
      switch (tok) {
        case Token.Identifier:
        case Token.DoesNotExist: {
          let r: Requirement;
          try {
            r = this.parseRequirement();
          } catch (err) {
            const e = err as Error;
            throw new LabelSelectorError(`unable to parse requirement: ${e.message}`, err instanceof LabelSelectorError ? err.fieldErrors : []);
          }
          requirements.push(r);
          const next = this.consume(Context.Values);
          if (next.tok === Token.EndOfString) return requirements;
          if (next.tok === Token.Comma) {
            const t2 = this.lookahead(Context.Values);
            if (t2.tok !== Token.Identifier && t2.tok !== Token.DoesNotExist) {
              throw new LabelSelectorError(`found '${t2.literal}', expected: identifier after ','`);
            }
            break;
          }
          throw new LabelSelectorError(`found '${next.literal}', expected: ',' or 'end of string'`);
        }
        case Token.EndOfString:
          return requirements;
        default:
          throw new LabelSelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === Operator.Exists || operator === Operator.DoesNotExist) return newRequirement(key, operator, [], this.path);
    const op = this.parseOperator();
    const values = op === Operator.In || op === Operator.NotIn ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort(compareGoStrings), this.path);
  }

  private parseKeyAndInferOperator(): { key: string; operator: Operator | undefined } {
    let operator: Operator | undefined;
    let item = this.consume(Context.Values);
    if (item.tok === Token.DoesNotExist) {
      operator = Operator.DoesNotExist;
      item = this.consume(Context.Values);
    }
    if (item.tok !== Token.Identifier) throw new ParseError(`found '${item.literal}', expected: identifier`);
    const keyErr = validateLabelKey(item.literal, this.path);
    if (keyErr) throw new LabelSelectorError(keyErr.toString(), [keyErr]);
    const next = this.lookahead(Context.Values).tok;
    if ((next === Token.EndOfString || next === Token.Comma) && operator !== Operator.DoesNotExist) operator = Operator.Exists;
    return { key: item.literal, operator };
  }

  /** The operator after a key; exposed for tests through parseOperatorOf(). */
  parseOperator(): Operator {
    const { tok, literal } = this.consume(Context.KeyAndOperator);
    switch (tok) {
      case Token.In: return Operator.In;
      case Token.Equals: return Operator.Equals;
      case Token.DoubleEquals: return Operator.DoubleEquals;
      case Token.GreaterThan: return Operator.GreaterThan;
      case Token.LessThan: return Operator.LessThan;
      case Token.NotIn: return Operator.NotIn;
      case Token.NotEquals: return Operator.NotEquals;
      default: throw new ParseError(`found '${literal}', expected: ${BINARY_OPERATORS_TEXT}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume(Context.Values);
    if (open.tok !== Token.OpenPar) throw new ParseError(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.lookahead(Context.Values);
    switch (tok) {
      case Token.Identifier:
      case Token.Comma: {
        const s = this.parseIdentifiersList();
        // Kubernetes reports the literal seen before the list here, not the offending one
        if (this.consume(Context.Values).tok !== Token.ClosedPar) throw new ParseError(`found '${literal}', expected: ')'`);
        return s;
      }
      case Token.ClosedPar:
        this.consume(Context.Values);
        return new Set(['']);
      default:
        throw new ParseError(`found '${literal}', expected: ',', ')' or identifier`);
    }
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, literal } = this.consume(Context.Values);
      switch (tok) {
        case Token.Identifier: {
          s.add(literal);
          const next = this.lookahead(Context.Values);
          if (next.tok === Token.Comma) continue;
          if (next.tok === Token.ClosedPar) return s;
          throw new ParseError(`found '${next.literal}', expected: ',' or ')'`);
        }
        case Token.Comma: {
          if (s.size === 0) s.add('');
          const next = this.lookahead(Context.Values).tok;
          if (next === Token.ClosedPar) {
            s.add('');
            return s;
          }
          if (next === Token.Comma) {
            this.consume(Context.Values);
            s.add('');
          }
          break;
        }
        default:
          throw new ParseError(`found '${literal}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const ahead = this.lookahead(Context.Values).tok;
    if (ahead === Token.EndOfString || ahead === Token.Comma) return new Set(['']);
    const { tok, literal } = this.consume(Context.Values);
    if (tok === Token.Identifier) return new Set([literal]);
    throw new ParseError(`found '${literal}', expected: identifier`);
  }
}

/**
 * labels.Parse: parses a label-selector string. Throws LabelSelectorError with Kubernetes' message
 * when it is malformed. `path` prefixes field paths in validation errors, as field.WithPath does.
 */
export function parseSelector(selector: string, path?: FieldPath): Selector {
  try {
    return Selector.of(new Parser(selector, path).parse());
  } catch (err) {
    if (err instanceof LabelSelectorError) throw err;
    throw new LabelSelectorError((err as Error).message);
  }
}

/** Parses the operator at the start of a string (the unit Kubernetes' parser tests exercise). */
export function parseOperatorOf(input: string): Operator {
  try {
    return new Parser(input, undefined).parseOperator();
  } catch (err) {
    throw new LabelSelectorError((err as Error).message);
  }
}
