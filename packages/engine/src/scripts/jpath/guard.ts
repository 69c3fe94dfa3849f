/**
 * Instruments a compiled json-p3 query so every filter evaluation (at any nesting depth, including queries inside
 * filters and function arguments) reports one unit of work to a guard, which enforces the time limit. Mutates only
 * the freshly compiled query objects it is given.
 */
import { jsonpath } from 'json-p3';

export interface Guard {
  tick(): void;
}

type Expression = jsonpath.expressions.FilterExpression;

const { FilterQuery, FunctionExtension, InfixExpression, LogicalExpression, PrefixExpression } = jsonpath.expressions;

const walk = (expression: Expression, guard: Guard): void => {
  if (expression instanceof LogicalExpression) walk(expression.expression, guard);
  else if (expression instanceof InfixExpression) {
    walk(expression.left, guard);
    walk(expression.right, guard);
  } else if (expression instanceof PrefixExpression) walk(expression.right, guard);
  else if (expression instanceof FilterQuery) guardExpressions(expression.path, guard);
  else if (expression instanceof FunctionExtension) for (const arg of expression.args) walk(arg, guard);
};

const instrument = (expression: jsonpath.expressions.LogicalExpression, guard: Guard): void => {
  const evaluate = expression.evaluate.bind(expression);
  Object.defineProperty(expression, 'evaluate', {
    value: (context: jsonpath.FilterContext): boolean => {
      guard.tick();
      return evaluate(context);
    },
  });
};

export const guardExpressions = (query: jsonpath.JSONPathQuery, guard: Guard): void => {
  for (const segment of query.segments) {
    for (const selector of segment.selectors) {
      if (selector instanceof jsonpath.selectors.FilterSelector) {
        instrument(selector.expression, guard);
        walk(selector.expression.expression, guard);
      }
    }
  }
};
