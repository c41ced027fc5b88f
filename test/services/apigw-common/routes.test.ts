import { describe, expect, it } from 'vitest';
import { RouteTable, compileRoute } from '../../../emulator/services/apigw-common/routes.ts';

describe('API Gateway route matching', () => {
  const table = new RouteTable<string>([
    ['GET /items', 'list'],
    ['GET /items/{id}', 'get'],
    ['GET /items/special', 'special'],
    ['ANY /items/{id}', 'any-item'],
    ['ANY /{proxy+}', 'catch-all'],
    ['POST /files/{path+}', 'file'],
    ['GET /', 'root'],
  ]);

  it('routes: a static segment beats a path parameter', () => {
    expect(table.match('GET', '/items/special')).toMatchObject({ kind: 'match', route: { target: 'special' } });
  });

  it('routes: path parameters are decoded', () => {
    expect(table.match('GET', '/items/a%20b')).toEqual(expect.objectContaining({ kind: 'match', pathParameters: { id: 'a b' } }));
  });

  it('routes: an exact method beats ANY, and ANY catches the rest', () => {
    expect(table.match('GET', '/items/7')).toMatchObject({ route: { target: 'get' } });
    expect(table.match('DELETE', '/items/7')).toMatchObject({ route: { target: 'any-item' } });
  });

  it('routes: a greedy variable takes the remaining path', () => {
    expect(table.match('POST', '/files/a/b/c.txt')).toMatchObject({ route: { target: 'file', resource: '/files/{path+}' }, pathParameters: { path: 'a/b/c.txt' } });
    expect(table.match('PUT', '/anything/else')).toMatchObject({ route: { target: 'catch-all' }, pathParameters: { proxy: 'anything/else' } });
  });

  it('routes: the root resource matches only "/"', () => {
    expect(table.match('GET', '/')).toMatchObject({ route: { target: 'root' } });
  });

  it('routes: a known resource with another method is told apart from no resource', () => {
    const narrow = new RouteTable<string>([['GET /items', 'list']]);
    expect(narrow.match('POST', '/items')).toEqual({ kind: 'method-not-allowed' });
    expect(narrow.match('GET', '/nothing')).toEqual({ kind: 'none' });
  });

  it('routes: a greedy variable must be the last segment', () => {
    expect(() => compileRoute('GET /{a+}/b', 'x')).toThrow('Greedy path variable must be last');
  });
});
